//! RTF read as text: what Word or WordPad shows, and what the file carries
//! besides — the document information (title, author, company, comments …),
//! annotations and their authors, and field instructions (hyperlink targets).
//!
//! RTF is 7-bit text that describes 8-bit text: `\'hh` is a byte of the code
//! page in force (the document's `\ansicpgN`, or the font's `\fcharsetN`:
//! 134 is GB2312, so Chinese RTF is GBK bytes written as escapes), and
//! `\uN` is a UTF-16 code unit followed by a fallback the reader skips.
//! Groups that hold no text — the font, colour and style tables, pictures
//! (whose hex digits would read as numbers), embedded objects' data, and
//! `{\*\…}` destinations not known here — are skipped.

use encoding_rs::Encoding;

/// How deep groups are tracked; deeper groups share their parent's state
/// (a file of nothing but `{` cannot make this allocate without bound).
const MAX_DEPTH: usize = 512;

/// The text of an RTF document.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct RtfText {
    /// The document's text (headers, footers, footnotes and text boxes
    /// included), one line per paragraph, table cells apart.
    pub body: String,
    /// Document information fields and other carried text: (field, value).
    pub fields: Vec<(String, String)>,
    /// Annotations (comments): (author, text).
    pub annotations: Vec<(String, String)>,
}

/// Where the text of a group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    Body,
    /// Not text: dropped.
    Skip,
    FontTable,
    /// The `\info` group: its own text is dropped, its fields captured.
    Info,
    /// Captured into `captures[index]`.
    Capture(usize),
}

#[derive(Debug, Clone, Copy)]
struct Group {
    destination: Destination,
    /// Fallback characters after `\uN`.
    unicode_skip: usize,
    encoding: &'static Encoding,
    /// The next control word names a destination to skip unless known (`\*`).
    starred: bool,
}

/// What kind of captured text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Capture {
    Field,
    Annotation,
    AnnotationAuthor,
    ShapeName,
    ShapeValue,
}

/// Shape properties that hold text: WordArt's, and a shape's name and
/// alternative text. The others are numbers.
const SHAPE_TEXT: &[&str] = &["gtextUNICODE", "wzDescription", "wzName"];

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    stack: Vec<Group>,
    /// Groups opened beyond [`MAX_DEPTH`], not tracked.
    overflow: usize,
    document_encoding: &'static Encoding,
    /// Font number → encoding, from the font table.
    fonts: Vec<(i32, &'static Encoding)>,
    /// The font being defined in the font table.
    defining_font: Option<i32>,
    /// The font of text that names none (`\deffN`).
    default_font: Option<i32>,
    captures: Vec<(Capture, String, String)>,
    body: String,
    /// Bytes of the current code page not yet decoded (a DBCS character is two).
    pending_bytes: Vec<u8>,
    /// UTF-16 units of `\uN` not yet decoded (a surrogate pair is two).
    pending_units: Vec<u16>,
    /// Fallback characters still to skip after a `\uN`.
    skipping: usize,
}

/// Read an RTF document. Never fails: what cannot be read is left out.
pub(crate) fn read(bytes: &[u8]) -> RtfText {
    let mut reader = Reader {
        bytes,
        at: 0,
        stack: vec![Group {
            destination: Destination::Body,
            unicode_skip: 1,
            encoding: encoding_rs::WINDOWS_1252,
            starred: false,
        }],
        overflow: 0,
        document_encoding: encoding_rs::WINDOWS_1252,
        fonts: Vec::new(),
        defining_font: None,
        default_font: None,
        captures: Vec::new(),
        body: String::new(),
        pending_bytes: Vec::new(),
        pending_units: Vec::new(),
        skipping: 0,
    };
    reader.run();
    reader.finish()
}

impl Reader<'_> {
    fn group(&self) -> Group {
        self.stack.last().copied().unwrap_or(Group {
            destination: Destination::Skip,
            unicode_skip: 1,
            encoding: encoding_rs::WINDOWS_1252,
            starred: false,
        })
    }

    fn group_mut(&mut self) -> Option<&mut Group> {
        self.stack.last_mut()
    }

    fn run(&mut self) {
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            match byte {
                b'{' => {
                    self.flush();
                    self.skipping = 0;
                    if self.stack.len() < MAX_DEPTH {
                        let mut group = self.group();
                        group.starred = false;
                        self.stack.push(group);
                    } else {
                        self.overflow += 1;
                    }
                }
                b'}' => {
                    self.flush();
                    self.skipping = 0;
                    if self.overflow > 0 {
                        self.overflow -= 1;
                    } else if self.stack.len() > 1 {
                        let closed = self.stack.pop();
                        if closed.is_some_and(|g| g.destination == Destination::FontTable)
                            && self.group().destination != Destination::FontTable
                        {
                            self.defining_font = None;
                            self.use_default_font();
                        }
                    }
                }
                b'\\' => self.control(),
                b'\r' | b'\n' => {}
                _ => {
                    if self.skipping > 0 {
                        self.skipping -= 1;
                    } else {
                        self.flush_units();
                        self.pending_bytes.push(byte);
                    }
                }
            }
        }
        self.flush();
    }

    /// A control word or symbol, after its backslash.
    fn control(&mut self) {
        let Some(&first) = self.bytes.get(self.at) else {
            return;
        };
        if !first.is_ascii_alphabetic() {
            self.at += 1;
            self.symbol(first);
            return;
        }
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_alphabetic) && self.at - start < 32 {
            self.at += 1;
        }
        let word = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        let number_start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) && self.at - number_start < 11
        {
            self.at += 1;
        }
        let parameter = std::str::from_utf8(&self.bytes[number_start..self.at])
            .ok()
            .and_then(|n| n.parse::<i64>().ok());
        if self.bytes.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        if word == "bin" {
            // Binary data: skipped whole, whatever it holds.
            self.flush();
            let length = parameter.unwrap_or(0).max(0) as usize;
            self.at = self.at.saturating_add(length).min(self.bytes.len());
            return;
        }
        if self.skipping > 0 && word != "u" {
            self.skipping -= 1;
            return;
        }
        self.word(&word, parameter);
    }

    fn symbol(&mut self, symbol: u8) {
        match symbol {
            b'\'' => {
                let hex = self.bytes.get(self.at..self.at + 2);
                let byte = hex
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(byte) = byte {
                    self.at += 2;
                    if self.skipping > 0 {
                        self.skipping -= 1;
                    } else {
                        self.flush_units();
                        self.pending_bytes.push(byte);
                    }
                }
            }
            b'*' => {
                if let Some(group) = self.group_mut() {
                    group.starred = true;
                }
            }
            b'\\' | b'{' | b'}' => {
                if self.skipping > 0 {
                    self.skipping -= 1;
                } else {
                    self.flush_units();
                    self.pending_bytes.push(symbol);
                }
            }
            b'~' => self.push_str("\u{A0}"),
            b'_' => self.push_str("\u{2011}"),
            b'\r' | b'\n' => self.push_str("\n"),
            _ => {}
        }
    }

    fn word(&mut self, word: &str, parameter: Option<i64>) {
        let group = self.group();
        let starred = group.starred;
        if let Some(g) = self.group_mut() {
            g.starred = false;
        }
        if group.destination == Destination::FontTable {
            match (word, parameter) {
                ("f", Some(n)) => self.defining_font = i32::try_from(n).ok(),
                ("fcharset", Some(n)) => self.define_font(charset_code_page(n)),
                ("cpg", Some(n)) => self.define_font(Some(n)),
                _ => {}
            }
            return;
        }
        if let Some(destination) = self.destination(word, group.destination, starred) {
            self.flush();
            if let Some(g) = self.group_mut() {
                g.destination = destination;
            }
            return;
        }
        if starred {
            self.flush();
            if let Some(g) = self.group_mut() {
                g.destination = Destination::Skip;
            }
            return;
        }
        match (word, parameter) {
            ("u", Some(n)) => {
                self.flush_bytes();
                // A signed 16-bit number; negative values are the upper half.
                self.pending_units.push((n & 0xFFFF) as u16);
                self.skipping = group.unicode_skip;
            }
            ("uc", Some(n)) => {
                if let Some(g) = self.group_mut() {
                    g.unicode_skip = n.clamp(0, 16) as usize;
                }
            }
            ("ansicpg", Some(n)) => {
                if let Some(encoding) = code_page_encoding(n) {
                    self.document_encoding = encoding;
                    if let Some(g) = self.group_mut() {
                        g.encoding = encoding;
                    }
                }
            }
            ("f", Some(n)) => {
                self.flush();
                let encoding = self
                    .fonts
                    .iter()
                    .find(|(font, _)| i64::from(*font) == n)
                    .map_or(self.document_encoding, |(_, e)| *e);
                if let Some(g) = self.group_mut() {
                    g.encoding = encoding;
                }
            }
            ("par" | "line" | "sect" | "page" | "row", _) => self.push_str("\n"),
            ("deff", Some(n)) => self.default_font = i32::try_from(n).ok(),
            ("cell" | "nestcell" | "tab", _) => self.push_str("\t"),
            ("emdash", _) => self.push_str("—"),
            ("endash", _) => self.push_str("–"),
            ("bullet", _) => self.push_str("•"),
            ("lquote", _) => self.push_str("‘"),
            ("rquote", _) => self.push_str("’"),
            ("ldblquote", _) => self.push_str("“"),
            ("rdblquote", _) => self.push_str("”"),
            ("emspace" | "enspace" | "qmspace", _) => self.push_str(" "),
            _ => {}
        }
    }

    /// The destination a control word opens, if it opens one.
    fn destination(
        &mut self,
        word: &str,
        current: Destination,
        starred: bool,
    ) -> Option<Destination> {
        const SKIPPED: &[&str] = &[
            "colortbl",
            "stylesheet",
            "listtable",
            "listoverridetable",
            "rsidtbl",
            "generator",
            "pict",
            "objdata",
            "objclass",
            "themedata",
            "colorschememapping",
            "latentstyles",
            "datastore",
            "xmlnstbl",
            "filetbl",
            "nonshppict",
            "bkmkstart",
            "bkmkend",
            "atnid",
            "atndate",
            "atnref",
            "pgdsctbl",
            "userprops",
            "ud",
        ];
        /// Document information fields that hold text.
        const INFO_FIELDS: &[&str] = &[
            "title",
            "subject",
            "author",
            "manager",
            "company",
            "operator",
            "category",
            "keywords",
            "comment",
            "doccomm",
            "hlinkbase",
        ];
        /// Starred destinations that hold text shown or carried.
        const TEXT_DESTINATIONS: &[&str] = &["shpinst", "shptxt", "fldinst", "atnauthor"];
        let capture = |reader: &mut Self, kind: Capture, name: &str| {
            reader
                .captures
                .push((kind, name.to_string(), String::new()));
            Some(Destination::Capture(reader.captures.len() - 1))
        };
        match word {
            "fonttbl" => Some(Destination::FontTable),
            "info" => Some(Destination::Info),
            _ if SKIPPED.contains(&word) => Some(Destination::Skip),
            // Other words in the information group are times, counts and
            // version numbers: no text, and the group stays what it is.
            _ if current == Destination::Info => INFO_FIELDS
                .contains(&word)
                .then(|| capture(self, Capture::Field, word))
                .flatten(),
            _ if starred && INFO_FIELDS.contains(&word) => capture(self, Capture::Field, word),
            "fldinst" => capture(self, Capture::Field, "field instructions"),
            "annotation" => capture(self, Capture::Annotation, "annotation"),
            "atnauthor" => capture(self, Capture::AnnotationAuthor, "annotation author"),
            // A shape property: its name, then its value.
            "sn" => capture(self, Capture::ShapeName, "shape property"),
            "sv" => capture(self, Capture::ShapeValue, "shape property"),
            _ if starred && TEXT_DESTINATIONS.contains(&word) => Some(current),
            _ => None,
        }
    }

    /// Once the font table is read, text that names no font is in the
    /// default font's code page.
    fn use_default_font(&mut self) {
        let encoding = self
            .fonts
            .iter()
            .find(|(font, _)| Some(*font) == self.default_font)
            .map(|(_, encoding)| *encoding);
        if let (Some(encoding), Some(group)) = (encoding, self.group_mut()) {
            group.encoding = encoding;
        }
    }

    fn define_font(&mut self, code_page: Option<i64>) {
        let (Some(font), Some(encoding)) =
            (self.defining_font, code_page.and_then(code_page_encoding))
        else {
            return;
        };
        match self.fonts.iter_mut().find(|(f, _)| *f == font) {
            Some(entry) => entry.1 = encoding,
            None => self.fonts.push((font, encoding)),
        }
    }

    fn push_str(&mut self, text: &str) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        self.flush();
        self.write(text);
    }

    /// Append decoded text where the current group's text goes.
    fn write(&mut self, text: &str) {
        match self.group().destination {
            Destination::Body => self.body.push_str(text),
            Destination::Capture(index) => {
                if let Some((_, _, captured)) = self.captures.get_mut(index) {
                    captured.push_str(text);
                }
            }
            Destination::Skip | Destination::FontTable | Destination::Info => {}
        }
    }

    fn flush(&mut self) {
        self.flush_bytes();
        self.flush_units();
    }

    fn flush_bytes(&mut self) {
        if self.pending_bytes.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.pending_bytes);
        let (text, _) = self.group().encoding.decode_without_bom_handling(&bytes);
        self.write(&text);
    }

    fn flush_units(&mut self) {
        if self.pending_units.is_empty() {
            return;
        }
        let units = std::mem::take(&mut self.pending_units);
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect();
        self.write(&text);
    }

    fn finish(self) -> RtfText {
        let mut text = RtfText {
            body: tidy(&self.body),
            ..RtfText::default()
        };
        let mut author = String::new();
        let mut shape_property = String::new();
        for (kind, name, value) in self.captures {
            let value = tidy(&value);
            match kind {
                Capture::AnnotationAuthor => author = value,
                Capture::ShapeName => shape_property = value,
                Capture::ShapeValue
                    if SHAPE_TEXT.contains(&shape_property.as_str()) && !value.is_empty() =>
                {
                    text.fields.push((format!("shape {shape_property}"), value));
                }
                Capture::Annotation if !value.is_empty() => {
                    text.annotations.push((std::mem::take(&mut author), value));
                }
                Capture::Field if !value.is_empty() => text.fields.push((name, value)),
                _ => {}
            }
        }
        text
    }
}

/// Lines without trailing white space and without blank runs at the ends.
fn tidy(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}

/// The Windows code page of an RTF font character set (`\fcharsetN`).
fn charset_code_page(charset: i64) -> Option<i64> {
    Some(match charset {
        0 | 2 => 1252,
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        // 1 is "the default": the document's code page stays.
        _ => return None,
    })
}

/// The decoder of a Windows code page.
fn code_page_encoding(code_page: i64) -> Option<&'static Encoding> {
    Some(match code_page {
        // GBK and GB2312 are subsets of GB18030.
        936 | 20936 | 54936 => encoding_rs::GB18030,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        874 => encoding_rs::WINDOWS_874,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        866 => encoding_rs::IBM866,
        10000 => encoding_rs::MACINTOSH,
        65001 => encoding_rs::UTF_8,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An RTF as WordPad or Word writes Chinese: GBK bytes as `\'hh` escapes.
    const GBK_DOCUMENT: &str = r"{\rtf1\ansi\ansicpg936\deff0\deflang1033\deflangfe2052
{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}{\f1\fswiss\fcharset0 Arial;}}
{\colortbl ;\red255\green0\blue0;}
{\*\generator Riched20 10.0.19041}\viewkind4\uc1
{\info{\title \'b1\'ea\'cc\'e2}{\author \'d5\'c5\'c8\'fd}{\operator x}{\creatim\yr2024\mo1\dy2\hr3\min4}{\*\company \'bf\'c6\'c6\'d5\'b2\'bf}}
\pard\sa200\sl276\slmult1\f0\fs22\lang2052 \'c3\'d8\'c3\'dc\'a1\'ef1\'c4\'ea\par
\'c9\'ed\'b7\'dd\'d6\'a4 110105\f1 19491231002X\f0\par
{\pict\pngblip\picw10\pich10 89504e470d0a1a0a13812345678}
}";

    #[test]
    fn gbk_escapes_decode_through_the_declared_code_page() {
        let text = read(GBK_DOCUMENT.as_bytes());
        assert_eq!(text.body, "秘密★1年\n身份证 11010519491231002X");
        assert_eq!(
            text.fields,
            [
                ("title".to_string(), "标题".to_string()),
                ("author".to_string(), "张三".to_string()),
                ("operator".to_string(), "x".to_string()),
                ("company".to_string(), "科普部".to_string()),
            ]
        );
    }

    #[test]
    fn unicode_escapes_skip_their_fallback() {
        // 秘 U+79D8 = 31192, 密 U+5BC6 = 23494; fallbacks `?` and (in a group
        // of its own, `\uc2`) a GBK pair; a surrogate pair as two negative units.
        let text = read(
            br"{\rtf1\ansi\uc1\u31192?{\uc2\u23494\'c3\'dc}\u9733 ?1\u24180?\par\u-10179?\u-8704?}",
        );
        assert_eq!(text.body, "秘密★1年\n\u{1F600}");
    }

    #[test]
    fn annotations_fields_and_text_boxes_are_read() {
        let rtf = br#"{\rtf1\ansi\ansicpg936
{\field{\*\fldinst HYPERLINK "tel:13812345678"}{\fldrslt \'b5\'e7\'bb\'b0}}\par
{\*\atnid WB}{\*\atnauthor \'cd\'f5\'b1\'e0}\chatn{\*\annotation{\*\atnref 1}\pard \'c7\'eb\'ba\'cb\'b6\'d4}
{\shp{\*\shpinst\shpleft0{\sp{\sn shapeType}{\sv 202}}{\sp{\sn gtextUNICODE}{\sv \'c3\'d8\'c3\'dc}}{\shptxt \'ce\'c4\'b1\'be\'bf\'f2\par}}}
{\*\bkmkstart x}{\*\userprops {\propname a}}
}"#;
        let text = read(rtf);
        assert_eq!(text.body, "电话\n文本框");
        assert_eq!(
            text.fields,
            [
                (
                    "field instructions".to_string(),
                    "HYPERLINK \"tel:13812345678\"".to_string()
                ),
                ("shape gtextUNICODE".to_string(), "秘密".to_string()),
            ]
        );
        assert_eq!(
            text.annotations,
            [("王编".to_string(), "请核对".to_string())]
        );
    }

    #[test]
    fn hostile_input_does_not_panic_or_run_long() {
        let deep = "{".repeat(200_000) + "\\'c3" + &"}".repeat(200_000);
        let _ = read(deep.as_bytes());
        for input in [
            &b"{\\rtf1 \\'"[..],
            b"{\\rtf1 \\'g",
            b"{\\rtf1 \\u",
            b"{\\rtf1 \\u99999999999999999999 x}",
            b"{\\rtf1 \\bin999999999 x}",
            b"}}}}{\\*",
            b"{\\rtf1 \\uc-5 \\u-1 x}",
        ] {
            let _ = read(input);
        }
    }
}
