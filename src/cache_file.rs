//! The files sanshen keeps in `.git/sanshen/` (history cache, remembered
//! decisions, reusable pages): a format line, then postcard — one value, or
//! (the history cache) a sequence of records that can be appended to. A
//! file that is missing, of another format or unreadable reads as nothing;
//! writing a whole file goes through a temporary file and a rename, and
//! failing only costs speed.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The value stored at `path`, if it starts with `format` and decodes.
pub fn read<T: DeserializeOwned>(path: &Path, format: &str) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    let payload = bytes.strip_prefix(format.as_bytes())?;
    postcard::from_bytes(payload).ok()
}

/// Store `value` at `path` after `format`, and delete `obsolete` (the file
/// an earlier version kept in the same folder) once it is written. Says
/// whether the file was written.
pub fn write<T: Serialize + ?Sized>(path: &Path, format: &str, value: &T, obsolete: &str) -> bool {
    replace(path, format, obsolete, |out| {
        postcard::to_io(value, out).ok().map(drop)
    })
}

/// Write a new file at `path` through a temporary file: the format line,
/// then whatever `fill` writes (`None`: give up, leave the old file).
fn replace(
    path: &Path,
    format: &str,
    obsolete: &str,
    fill: impl FnOnce(&mut BufWriter<&mut File>) -> Option<()>,
) -> bool {
    let Some(folder) = path.parent() else {
        return false;
    };
    let written = std::fs::create_dir_all(folder).ok().and_then(|()| {
        let mut file = tempfile::NamedTempFile::new_in(folder).ok()?;
        {
            let mut out = BufWriter::with_capacity(1 << 20, file.as_file_mut());
            out.write_all(format.as_bytes()).ok()?;
            fill(&mut out)?;
            out.flush().ok()?;
        }
        file.persist(path).ok()
    });
    if written.is_some() && !obsolete.is_empty() {
        let _ = std::fs::remove_file(folder.join(obsolete));
    }
    written.is_some()
}

/// Records larger than this are taken for damage, not data.
const MAX_RECORD: usize = 1 << 30;

/// Records decoded (or encoded) at once: enough for both cores, few enough
/// that the encoded bytes held meanwhile stay small.
const BATCH: usize = 8;

/// Reads a record file: after the format line, records of a 4-byte
/// little-endian length and that many bytes.
pub struct RecordReader {
    input: BufReader<File>,
    /// Whether every record so far was whole. A file whose last append was
    /// cut short ends in a partial record: what precedes it is good, but
    /// nothing may be appended after it.
    pub intact: bool,
}

impl RecordReader {
    /// The record file at `path`, if it starts with `format`.
    pub fn open(path: &Path, format: &str) -> Option<RecordReader> {
        let mut input = BufReader::with_capacity(1 << 20, File::open(path).ok()?);
        let mut line = vec![0; format.len()];
        input.read_exact(&mut line).ok()?;
        (line == format.as_bytes()).then_some(RecordReader {
            input,
            intact: true,
        })
    }

    /// Up to `count` more records; fewer (or none) at the end of the file.
    fn next_records(&mut self, count: usize) -> Vec<Vec<u8>> {
        let mut records = Vec::new();
        while records.len() < count && self.intact {
            let mut length = [0; 4];
            match self.input.read(&mut length[..1]) {
                Ok(0) => break,
                Ok(_) => {}
                Err(_) => {
                    self.intact = false;
                    break;
                }
            }
            let mut record = Vec::new();
            let whole = self.input.read_exact(&mut length[1..]).is_ok()
                && usize::try_from(u32::from_le_bytes(length)).is_ok_and(|n| {
                    n <= MAX_RECORD && {
                        record.resize(n, 0);
                        self.input.read_exact(&mut record).is_ok()
                    }
                });
            if !whole {
                self.intact = false;
                break;
            }
            records.push(record);
        }
        records
    }
}

impl RecordReader {
    /// The next few records decoded (in parallel), `None` for one that does
    /// not decode; none at the end of the file.
    pub fn next_decoded<T: DeserializeOwned + Send>(&mut self) -> Vec<Option<T>> {
        use rayon::prelude::*;
        self.next_records(BATCH)
            .par_iter()
            .map(|record| postcard::from_bytes(record).ok())
            .collect()
    }
}

/// One record's bytes: `value` in postcard (`None`: it cannot be encoded).
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Option<Vec<u8>> {
    postcard::to_stdvec(value).ok()
}

/// `items` as records of `chunk` items each, made by `part` and encoded a
/// few at a time, in parallel, as the iterator is consumed.
pub fn encode_chunks<'a, T: Sync, P: Serialize>(
    items: &'a [T],
    chunk: usize,
    part: impl Fn(&'a [T]) -> P + Sync + 'a,
) -> impl Iterator<Item = Option<Vec<u8>>> + 'a {
    use rayon::prelude::*;
    items.chunks(chunk * BATCH).flat_map(move |batch| {
        batch
            .par_chunks(chunk)
            .map(|chunk| encode(&part(chunk)))
            .collect::<Vec<_>>()
    })
}

fn write_record(out: &mut impl Write, record: &[u8]) -> Option<()> {
    let length = u32::try_from(record.len()).ok()?;
    out.write_all(&length.to_le_bytes()).ok()?;
    out.write_all(record).ok()
}

/// A new record file at `path` holding `records` (written as they come).
pub fn write_records(
    path: &Path,
    format: &str,
    records: impl IntoIterator<Item = Option<Vec<u8>>>,
    obsolete: &str,
) -> bool {
    replace(path, format, obsolete, |out| {
        for record in records {
            write_record(out, &record?)?;
        }
        Some(())
    })
}

/// Add `records` at the end of the record file at `path`. A write cut short
/// leaves a partial record, which [`RecordReader`] reports.
pub fn append_records(path: &Path, records: &[Vec<u8>]) -> bool {
    let appended = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .ok()
        .and_then(|file| {
            let mut out = BufWriter::new(file);
            for record in records {
                write_record(&mut out, record)?;
            }
            out.flush().ok()
        });
    appended.is_some()
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMAT: &str = "test-records-1\n";

    fn read_all(path: &Path) -> Option<(Vec<Vec<u8>>, bool)> {
        let mut reader = RecordReader::open(path, FORMAT)?;
        let mut all = Vec::new();
        loop {
            let batch = reader.next_records(2);
            if batch.is_empty() {
                return Some((all, reader.intact));
            }
            all.extend(batch);
        }
    }

    #[test]
    fn records_are_written_appended_and_read_back() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("records.bin");
        let first = vec![
            Some(b"one".to_vec()),
            Some(Vec::new()),
            Some(b"three".to_vec()),
        ];
        assert!(write_records(&path, FORMAT, first, ""));
        assert!(append_records(&path, &[b"four".to_vec()]));
        let (records, intact) = read_all(&path).expect("readable");
        assert_eq!(records, [&b"one"[..], b"", b"three", b"four"]);
        assert!(intact);
        assert!(RecordReader::open(&path, "another-format-1\n").is_none());
    }

    #[test]
    fn a_cut_short_append_keeps_what_precedes_it_and_is_reported() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("records.bin");
        assert!(write_records(
            &path,
            FORMAT,
            vec![Some(b"whole".to_vec())],
            ""
        ));
        assert!(append_records(&path, &[b"cut short".to_vec()]));
        let length = std::fs::metadata(&path).expect("written").len();
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_len(length - 3).expect("truncate");
        let (records, intact) = read_all(&path).expect("readable");
        assert_eq!(records, [&b"whole"[..]]);
        assert!(!intact);
    }

    #[test]
    fn a_failed_record_leaves_the_old_file() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("records.bin");
        assert!(write_records(
            &path,
            FORMAT,
            vec![Some(b"kept".to_vec())],
            ""
        ));
        assert!(!write_records(
            &path,
            FORMAT,
            vec![Some(b"new".to_vec()), None],
            ""
        ));
        let (records, _) = read_all(&path).expect("readable");
        assert_eq!(records, [&b"kept"[..]]);
    }
}
