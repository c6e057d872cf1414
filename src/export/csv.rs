//! CSV encoding of search rows: UTF-8 with a BOM (so Excel reads Chinese correctly),
//! RFC 4180 quoting with CRLF line ends, and a guard against spreadsheet formulas.
//! Pure functions that write into a caller's buffer: a page of 500 rows becomes one
//! `String` without an allocation per cell.

use std::borrow::Cow;

use chrono::FixedOffset;

use crate::api::SearchRow;
use crate::i18n::{Locale, Msg};
use crate::model::columns::Column;
use crate::ui::status_text;

/// The byte-order mark Excel needs to read UTF-8.
pub const BOM: &str = "\u{feff}";

/// Signs that make a spreadsheet treat a cell as a formula, ASCII and full-width (a CJK
/// input method types `＝`, which some spreadsheets read as `=`).
const FORMULA_SIGNS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Whether a spreadsheet could run `text` as a formula: a sign first, or a sign behind
/// leading whitespace (spreadsheets skip spaces, tabs and U+3000 before a formula), or a
/// tab or CR first (which hide what follows). Such a cell gets a leading `'`.
fn formula_like(text: &str) -> bool {
    text.starts_with(['\t', '\r']) || text.trim_start_matches(char::is_whitespace).starts_with(FORMULA_SIGNS)
}

/// One column of the file: a table column, the status's wire value, or one of the ids
/// always exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Column(Column),
    StatusCode,
    GroupId,
    UserId,
}

/// The table's visible columns in their order (the status's label followed by its wire
/// value, for filters and formulas that must not depend on the language), then the ids a
/// spreadsheet user needs to find a conversation again (the chat id too when its column
/// is hidden).
pub fn fields(visible: &[Column]) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    for &column in visible {
        fields.push(Field::Column(column));
        if column == Column::Status {
            fields.push(Field::StatusCode);
        }
    }
    if !visible.contains(&Column::ChatId) {
        fields.push(Field::Column(Column::ChatId));
    }
    fields.extend([Field::GroupId, Field::UserId]);
    fields
}

fn header(field: Field, locale: Locale) -> &'static str {
    match field {
        Field::Column(column) => column.header().text(locale),
        Field::StatusCode => Msg::StatusCode.text(locale),
        Field::GroupId => Msg::FieldGroupId.text(locale),
        Field::UserId => Msg::FieldUserId.text(locale),
    }
}

/// The text of one cell; a missing (`null`) field is an empty cell.
fn value(field: Field, row: &SearchRow, zone: FixedOffset, locale: Locale) -> Cow<'_, str> {
    fn text(v: &Option<String>) -> Cow<'_, str> {
        Cow::Borrowed(v.as_deref().unwrap_or_default())
    }
    match field {
        Field::Column(Column::ChatId) => text(&row.chat_id),
        Field::Column(Column::Created) => row.create_time.as_ref().map(|t| Cow::Owned(t.display(zone))).unwrap_or_default(),
        Field::Column(Column::User) => text(&row.nick_name),
        Field::Column(Column::Address) => text(&row.address),
        Field::Column(Column::Status) => Cow::Borrowed(status_text(row.status.as_deref().unwrap_or_default(), locale)),
        Field::StatusCode => text(&row.status),
        Field::Column(Column::Title) => text(&row.title),
        Field::GroupId => text(&row.group_id),
        Field::UserId => text(&row.user_id),
    }
}

/// Appends one cell as it goes into the file. Text a spreadsheet would run as a formula
/// gets a leading `'`; cells with a comma, quote or line break are quoted, with quotes
/// doubled.
fn write_cell(out: &mut String, text: &str) {
    let quoted = text.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if formula_like(text) {
        out.push('\'');
    }
    if quoted {
        let mut pieces = text.split('"');
        out.push_str(pieces.next().unwrap_or_default());
        for piece in pieces {
            out.push_str("\"\"");
            out.push_str(piece);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn write_line<'a>(out: &mut String, cells: impl Iterator<Item = Cow<'a, str>>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_cell(out, &cell);
    }
    out.push_str("\r\n");
}

/// The first chunk of the file: BOM and the localized header line.
pub fn head(fields: &[Field], locale: Locale) -> String {
    let mut out = String::from(BOM);
    write_line(&mut out, fields.iter().map(|f| Cow::Borrowed(header(*f, locale))));
    out
}

/// The lines of `rows`, as one chunk; times in `zone`, statuses in `locale`.
pub fn records<'a>(fields: &[Field], rows: impl Iterator<Item = &'a SearchRow>, zone: FixedOffset, locale: Locale) -> String {
    let mut out = String::new();
    for row in rows {
        write_line(&mut out, fields.iter().map(|f| value(*f, row, zone, locale)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::CreateTime;
    use crate::time::parse_offset;

    fn cell(text: &str) -> String {
        let mut out = String::new();
        write_cell(&mut out, text);
        out
    }

    fn zone() -> FixedOffset {
        parse_offset("+08:00").expect("zone")
    }

    fn seed_row() -> SearchRow {
        SearchRow {
            chat_id: Some("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5".into()),
            group_id: Some("135222409673310808".into()),
            create_time: Some(CreateTime::EpochMs(1450112055023)),
            user_id: Some("u00013058217037704c358367f6e1fd1da545".into()),
            nick_name: Some("阿洋".into()),
            address: Some("北京市海淀区软件园六号路".into()),
            status: Some("交谈".into()),
            title: Some("Get帮你搞定一切".into()),
            ..SearchRow::default()
        }
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("\""), "\"\"\"\"");
        assert_eq!(cell("\"\"x\""), "\"\"\"\"\"x\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("crlf\r\ninside"), "\"crlf\r\ninside\"");
        assert_eq!(cell("cr\rhere"), "\"cr\rhere\"");
        assert_eq!(cell("trailing,"), "\"trailing,\"");
        assert_eq!(cell(" spaced "), " spaced ", "spaces are kept and need no quotes");
        assert_eq!(cell("it's"), "it's", "an apostrophe needs no quotes");
    }

    #[test]
    fn chinese_text_passes_through() {
        assert_eq!(cell("北京市，海淀区"), "北京市，海淀区", "a full-width comma needs no quotes");
        assert_eq!(cell("“引号”"), "“引号”", "full-width quotes are not CSV quotes");
        assert_eq!(cell("阿洋,小明"), "\"阿洋,小明\"");
        assert_eq!(cell("第一行\n第二行"), "\"第一行\n第二行\"");
        assert_eq!(cell("😀 emoji ‏RTL‏"), "😀 emoji ‏RTL‏");
    }

    #[test]
    fn empty_and_missing_fields_are_empty_cells() {
        assert_eq!(cell(""), "");
        let fields = fields(&Column::ALL);
        let empty = SearchRow::default();
        assert_eq!(records(&fields, [&empty].into_iter(), zone(), Locale::En), ",,,,,,,,\r\n", "nulls are empty cells");
        let partial = SearchRow { chat_id: Some("c1".into()), title: Some(String::new()), ..SearchRow::default() };
        assert_eq!(records(&fields, [&partial].into_iter(), zone(), Locale::En), "c1,,,,,,,,\r\n");
        assert_eq!(records(&fields, std::iter::empty(), zone(), Locale::En), "", "no rows, no lines");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"", "guarded, and quoted for the CR");
        assert_eq!(cell("=a,b"), "\"'=a,b\"", "guard inside the quotes");
        assert_eq!(cell("=阿洋"), "'=阿洋");
        assert_eq!(cell("a=b"), "a=b", "only a leading sign is dangerous");
        assert_eq!(cell("'=1"), "'=1", "already inert");
    }

    #[test]
    fn formulas_behind_whitespace_and_full_width_signs_are_neutralised() {
        assert_eq!(cell(" =1"), "' =1", "a leading space");
        assert_eq!(cell("   +1"), "'   +1");
        assert_eq!(cell(" \t-2"), "' \t-2", "spaces and a tab");
        assert_eq!(cell("\u{3000}@SUM(A1)"), "'\u{3000}@SUM(A1)", "an ideographic space");
        assert_eq!(cell(" =a,b"), "\"' =a,b\"", "guard inside the quotes");
        for sign in ['＝', '＋', '－', '＠'] {
            assert_eq!(cell(&format!("{sign}1")), format!("'{sign}1"), "full-width {sign}");
            assert_eq!(cell(&format!("\u{3000}{sign}1")), format!("'\u{3000}{sign}1"), "full-width {sign} behind U+3000");
        }
        assert_eq!(cell(" a=b"), " a=b", "a sign later on is harmless");
        assert_eq!(cell("   "), "   ", "whitespace alone");
        assert_eq!(cell("阿洋 -"), "阿洋 -");
    }

    #[test]
    fn the_file_starts_with_bom_and_localized_headers() {
        let fields = fields(&Column::ALL);
        assert_eq!(head(&fields, Locale::En), "\u{feff}Chat ID,Created,User,Address,Status,Status code,Title,Group ID,User ID\r\n");
        assert_eq!(head(&fields, Locale::ZhCn), "\u{feff}会话 ID,创建时间,用户,地址,状态,状态码,标题,用户组 ID,用户 ID\r\n");
        assert_eq!(head(&fields, Locale::En).as_bytes()[..3], [0xEF, 0xBB, 0xBF], "UTF-8 BOM bytes");
    }

    #[test]
    fn seed_row_in_the_server_zone() {
        let fields = fields(&Column::ALL);
        let row = seed_row();
        assert_eq!(
            records(&fields, [&row].into_iter(), zone(), Locale::En),
            "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5,2015-12-15 00:54:15,阿洋,北京市海淀区软件园六号路,Active,交谈,Get帮你搞定一切,135222409673310808,u00013058217037704c358367f6e1fd1da545\r\n"
        );
        let utc = parse_offset("+00:00").expect("zone");
        assert!(records(&fields, [&row].into_iter(), utc, Locale::En).contains(",2015-12-14 16:54:15,"), "the configured zone decides");
        let odd = SearchRow { create_time: Some(CreateTime::Unparsed("=yesterday".into())), ..SearchRow::default() };
        assert!(records(&fields, [&odd].into_iter(), zone(), Locale::En).contains(",'=yesterday,"), "unparsed times as sent, guarded");
    }

    #[test]
    fn statuses_in_the_export_language_with_their_code() {
        let fields = fields(&[Column::Status, Column::Title]);
        assert_eq!(head(&fields, Locale::ZhCn), "\u{feff}状态,状态码,标题,会话 ID,用户组 ID,用户 ID\r\n");
        let line = |status: Option<&str>, locale| {
            let row = SearchRow { status: status.map(str::to_string), ..SearchRow::default() };
            records(&fields, [&row].into_iter(), zone(), locale)
        };
        assert_eq!(line(Some("排队"), Locale::En), "Queued,排队,,,,\r\n");
        assert_eq!(line(Some("排队"), Locale::ZhCn), "排队中,排队,,,,\r\n");
        assert_eq!(line(Some("结束"), Locale::En), "Ended,结束,,,,\r\n");
        assert_eq!(line(Some("Chat"), Locale::ZhCn), "进行中,Chat,,,,\r\n");
        assert_eq!(line(Some("转接"), Locale::En), "转接,转接,,,,\r\n", "an unknown status as sent");
        assert_eq!(line(None, Locale::En), ",,,,,\r\n");
        assert!(!super::fields(&[Column::Title]).contains(&Field::StatusCode), "no code without its status column");
    }

    #[test]
    fn every_line_ends_with_crlf() {
        let fields = fields(&Column::ALL);
        let tricky = SearchRow { title: Some("a\nb".into()), address: Some("x\r\ny".into()), ..seed_row() };
        let text = records(&fields, [&seed_row(), &tricky, &seed_row()].into_iter(), zone(), Locale::En);
        assert_eq!(text.matches("\r\n").count(), 4, "three line ends and the one inside the quoted address");
        assert!(text.ends_with("\r\n"));
        assert!(text.contains(",\"x\r\ny\",") && text.contains(",\"a\nb\","));
    }

    #[test]
    fn hidden_columns_follow_the_table_and_ids_stay() {
        let fields = fields(&[Column::Title, Column::User]);
        assert_eq!(head(&fields, Locale::En), "\u{feff}Title,User,Chat ID,Group ID,User ID\r\n");
        let row = seed_row();
        assert_eq!(
            records(&fields, [&row].into_iter(), zone(), Locale::En),
            "Get帮你搞定一切,阿洋,u0001d6ddfcbef27e45aeaee5bf7db6ac83b5,135222409673310808,u00013058217037704c358367f6e1fd1da545\r\n"
        );
    }

    #[test]
    fn hostile_row_survives_a_round_trip() {
        let fields = fields(&[Column::User, Column::Title]);
        let row = SearchRow {
            nick_name: Some("<img src=x onerror=alert(1)>".into()),
            title: Some("=cmd|' /C calc'!A0,\"x\"\r\n".into()),
            ..SearchRow::default()
        };
        assert_eq!(
            records(&fields, [&row].into_iter(), zone(), Locale::En),
            "<img src=x onerror=alert(1)>,\"'=cmd|' /C calc'!A0,\"\"x\"\"\r\n\",,,\r\n"
        );
    }
}
