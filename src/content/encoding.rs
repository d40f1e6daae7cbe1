//! Text decoding for files writers commit.
//!
//! Files must be UTF-8. A UTF-8 byte-order mark and CRLF line endings are
//! accepted (Windows editors write them); anything else is refused with a
//! guess at what the file is, because a GBK file from an old office PC is
//! the usual culprit and the writer needs to know to re-save it as UTF-8.

/// Decode UTF-8 text, dropping a BOM and normalising CRLF to LF.
/// The error says which encoding the bytes look like.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(if text.contains('\r') {
            text.replace("\r\n", "\n")
        } else {
            text.to_string()
        }),
        Err(err) => {
            let line = bytes[..err.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(format!(
                "is not UTF-8 (first bad byte on line {line}); it looks like {}. Re-save it as UTF-8",
                guess_encoding(bytes)
            ))
        }
    }
}

/// A human guess at a non-UTF-8 encoding.
fn guess_encoding(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return "UTF-16";
    }
    let has_high = bytes.iter().any(|&b| b >= 0x80);
    if has_high {
        let (_, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
        if !had_errors {
            return "GBK (GB2312/GB18030)";
        }
        let (_, had_errors) = encoding_rs::BIG5.decode_without_bom_handling(bytes);
        if !had_errors {
            return "Big5";
        }
    }
    "an unknown binary or legacy encoding"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_bom_and_crlf() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa\r\nb\r\n").unwrap(), "a\nb\n");
    }

    #[test]
    fn names_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 通知公告\n---\n");
        let err = decode_text(&gbk).unwrap_err();
        assert!(err.contains("GBK"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }
}
