//! CSV encoding of search rows: UTF-8 with a BOM (so Excel reads Chinese correctly),
//! RFC 4180 quoting with CRLF line ends, and a guard against spreadsheet formulas.

use chrono::FixedOffset;

use crate::api::SearchRow;
use crate::i18n::{Locale, Msg};
use crate::search::Column;

/// The byte-order mark Excel needs to read UTF-8.
pub const BOM: &str = "\u{feff}";

/// One column of the file: a table column, or one of the ids always exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Column(Column),
    GroupId,
    UserId,
}

/// The table's visible columns in their order, then the ids a spreadsheet user needs to
/// find a conversation again (the chat id too when its column is hidden).
pub fn fields(visible: &[Column]) -> Vec<Field> {
    let mut fields: Vec<Field> = visible.iter().copied().map(Field::Column).collect();
    if !visible.contains(&Column::ChatId) {
        fields.push(Field::Column(Column::ChatId));
    }
    fields.extend([Field::GroupId, Field::UserId]);
    fields
}

fn header(field: Field, locale: Locale) -> &'static str {
    match field {
        Field::Column(column) => column.header().text(locale),
        Field::GroupId => Msg::FieldGroupId.text(locale),
        Field::UserId => Msg::FieldUserId.text(locale),
    }
}

fn value(field: Field, row: &SearchRow, zone: FixedOffset) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match field {
        Field::Column(Column::ChatId) => text(&row.chat_id),
        Field::Column(Column::Created) => row.create_time.as_ref().map(|t| t.display(zone)).unwrap_or_default(),
        Field::Column(Column::User) => text(&row.nick_name),
        Field::Column(Column::Address) => text(&row.address),
        Field::Column(Column::Status) => text(&row.status),
        Field::Column(Column::Title) => text(&row.title),
        Field::GroupId => text(&row.group_id),
        Field::UserId => text(&row.user_id),
    }
}

/// A cell as it goes into the file. Text a spreadsheet would run as a formula (starting
/// with `= + - @`, tab or CR) gets a leading `'`; cells with a comma, quote or line break
/// are quoted, with quotes doubled.
pub fn cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn line(cells: impl Iterator<Item = String>) -> String {
    let mut line = cells.map(|c| cell(&c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// The first chunk of the file: BOM and the localized header line.
pub fn head(fields: &[Field], locale: Locale) -> String {
    format!("{BOM}{}", line(fields.iter().map(|f| header(*f, locale).to_string())))
}

/// The lines of `rows`, as one chunk.
pub fn records<'a>(fields: &[Field], rows: impl Iterator<Item = &'a SearchRow>, zone: FixedOffset) -> String {
    rows.map(|row| line(fields.iter().map(|f| value(*f, row, zone)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_offset, CreateTime};

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
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("cr\rhere"), "\"cr\rhere\"");
        assert_eq!(cell(""), "");
        assert_eq!(cell("北京市，海淀区"), "北京市，海淀区", "a full-width comma needs no quotes");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("a=b"), "a=b", "only a leading sign is dangerous");
    }

    #[test]
    fn the_file_starts_with_bom_and_localized_headers() {
        let fields = fields(&Column::ALL);
        assert_eq!(head(&fields, Locale::En), "\u{feff}Chat ID,Created,User,Address,Status,Title,Group ID,User ID\r\n");
        assert_eq!(head(&fields, Locale::ZhCn), "\u{feff}会话 ID,创建时间,用户,地址,状态,标题,用户组 ID,用户 ID\r\n");
    }

    #[test]
    fn seed_row_in_the_server_zone() {
        let fields = fields(&Column::ALL);
        let rows = [seed_row()];
        assert_eq!(
            records(&fields, rows.iter(), zone()),
            "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5,2015-12-15 00:54:15,阿洋,北京市海淀区软件园六号路,交谈,Get帮你搞定一切,135222409673310808,u00013058217037704c358367f6e1fd1da545\r\n"
        );
    }

    #[test]
    fn hidden_columns_follow_the_table_and_ids_stay() {
        let fields = fields(&[Column::Title, Column::User]);
        assert_eq!(head(&fields, Locale::En), "\u{feff}Title,User,Chat ID,Group ID,User ID\r\n");
        let empty = SearchRow::default();
        assert_eq!(records(&fields, [empty].iter(), zone()), ",,,,\r\n", "nulls are empty cells");
    }
}
