//! Where a YAML mistake really is, when the parser notices it elsewhere.
//!
//! A parser reports a mistake where it gives up, which for some mistakes is
//! far from where the author went wrong:
//!
//! - a `[`, `{` or quote never closed swallows the lines after it, and the
//!   parser complains lines later, about something else;
//! - a key indented by one space too few or too many is read as part of the
//!   value above it, and the parser reports the key as missing.
//!
//! These functions look at the text around the parser's position and find
//! the place to point at instead. They only ever move an error the parser
//! has already found: on valid YAML they are never asked.

/// A `[`, `{`, `"` or `'` opened and not closed before the text goes on
/// as if it had been.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Unclosed {
    /// 0-based line of the opening character.
    pub(super) line: usize,
    /// 0-based column (in characters) of the opening character.
    pub(super) column: usize,
    /// The opening character.
    pub(super) opener: char,
}

impl Unclosed {
    /// What is wrong, in an author's words.
    pub(super) fn message(&self) -> String {
        match self.opener {
            '[' => "this list, opened with `[`, is never closed".to_string(),
            '{' => "this mapping, opened with `{`, is never closed".to_string(),
            q => format!("this text, opened with a quote ({q}), is never closed"),
        }
    }

    /// How to fix it.
    pub(super) fn help(&self) -> String {
        match self.opener {
            '[' => "end the list with `]` after its last item".to_string(),
            '{' => "end the mapping with `}` after its last entry".to_string(),
            q => format!("end the text with {q} on this line, or remove the opening {q}"),
        }
    }
}

/// The bracket or quote, opened before the 0-based `line` of `text`, that
/// is still open at a later line indented no more than the line it was
/// opened on: a line that can only be a new key or item, so the opener was
/// never closed. `None` if nothing is open like that before `line` ends.
pub(super) fn unclosed(text: &str, line: usize) -> Option<Unclosed> {
    let mut open: Vec<Unclosed> = Vec::new();
    // Indentation of the line each opener is on, parallel to `open`.
    let mut opened_at: Vec<usize> = Vec::new();
    // Inside a block scalar (`|`, `>`) of a line with this indentation.
    let mut block: Option<usize> = None;
    for (n, text_line) in text.split('\n').enumerate().take(line + 1) {
        let indent = indent(text_line);
        let key = key_column(text_line);
        let blank = text_line.trim().is_empty();
        if let Some(b) = block {
            if blank || indent > b {
                continue;
            }
            block = None;
        }
        if !blank && let Some(i) = opened_at.iter().position(|&at| indent <= at) {
            let closes = matches!(text_line.trim_start().chars().next(), Some(']' | '}'));
            let quoted = matches!(open[i].opener, '"' | '\'');
            if quoted || !closes {
                return Some(open[i]);
            }
        }
        let mut at_start = true;
        let chars: Vec<char> = text_line.chars().collect();
        let mut c = 0;
        while c < chars.len() {
            let ch = chars[c];
            let next = chars.get(c + 1).copied();
            let in_quote = open
                .last()
                .map(|o| o.opener)
                .filter(|o| matches!(o, '"' | '\''));
            match (in_quote, ch) {
                (Some('"'), '\\') => c += 1,
                (Some('"'), '"') | (Some('\''), '\'') => {
                    if ch == '\'' && next == Some('\'') {
                        c += 1;
                    } else {
                        open.pop();
                        opened_at.pop();
                        at_start = false;
                    }
                }
                (Some(_), _) => {}
                (None, ' ' | '\t') => {}
                (None, '#') if c == 0 || chars[c - 1] == ' ' => break,
                (None, '"' | '\'' | '[' | '{') if at_start => {
                    open.push(Unclosed {
                        line: n,
                        column: c,
                        opener: ch,
                    });
                    opened_at.push(key);
                }
                (None, ']' | '}') if open.last().is_some() => {
                    open.pop();
                    opened_at.pop();
                    at_start = false;
                }
                (None, ',') if !open.is_empty() => at_start = true,
                (None, ':') if next.is_none_or(|n| n == ' ') || !open.is_empty() => at_start = true,
                (None, '-' | '?') if at_start && next.is_none_or(|n| n == ' ') => {}
                (None, '|' | '>') if at_start && open.is_empty() => {
                    block = Some(key);
                    break;
                }
                (None, _) => at_start = false,
            }
            c += 1;
        }
    }
    None
}

/// A key `field:` in the lines of an item (from the 0-based `from` line to
/// the 0-based `to` line, both included) whose keys start at the 0-based
/// `column`, but which is indented differently: the parser read it as part
/// of the value above it. Its 0-based line and column.
pub(super) fn misindented_key(
    text: &str,
    from: usize,
    to: usize,
    column: usize,
    field: &str,
) -> Option<(usize, usize)> {
    text.split('\n')
        .enumerate()
        .skip(from + 1)
        .take(to.saturating_sub(from))
        .find_map(|(n, l)| {
            let rest = l.trim_start();
            let key = rest.strip_prefix(field)?;
            let at = indent(l);
            (at != column && (key.starts_with(": ") || key == ":")).then_some((n, at))
        })
}

/// The column (0-based) of the key a line's value belongs to: after its
/// indentation and any `- `; the line's indentation if it has no key (a
/// list item that is itself a flow list or quoted text).
fn key_column(line: &str) -> usize {
    let mut col = indent(line);
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        col += 2 + indent(r);
        rest = r.trim_start_matches(' ');
    }
    match rest.chars().next() {
        Some('[' | '{' | '"' | '\'') | None => indent(line),
        _ => col,
    }
}

/// Leading spaces of a line.
fn indent(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: usize) -> Option<(usize, usize, char)> {
        unclosed(text, line).map(|u| (u.line, u.column, u.opener))
    }

    #[test]
    fn an_unclosed_list_is_found_where_it_opens() {
        let text = "charts:\n  - id: a\n    metrics: [x, y\n    period: 2016\n  - id: b\n";
        assert_eq!(at(text, 4), Some((2, 13, '[')));
        // Nothing is wrong before the next line.
        assert_eq!(at(text, 2), None);
        // A list item's key is the item's column, not the dash's.
        let item = "- metrics: [x, y\n  period: 2016\n";
        assert_eq!(at(item, 1), Some((0, 11, '[')));
        let flow_item = "- [a,\n  b]\n- c\n";
        assert_eq!(at(flow_item, 2), None);
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let text = "title: x\nbase_url: \"https://a.example/\nlanguage: id\nnote: \"b\" c\n";
        assert_eq!(at(text, 3), Some((1, 10, '"')));
        let single = "a: 'it\nb: 1\n";
        assert_eq!(at(single, 1), Some((0, 3, '\'')));
    }

    #[test]
    fn closed_and_multi_line_values_are_not_unclosed() {
        let text = "a: [x,\n     y]\nb: {k: v}\nc: \"q\"\nd: [\n  1, 2\n]\ne: 1\n";
        assert_eq!(at(text, 7), None);
        // A quote that spans lines, indented, then closes.
        let quote = "a:\n  b: \"one\n    two\"\n  c: 1\n";
        assert_eq!(at(quote, 3), None);
    }

    #[test]
    fn apostrophes_brackets_and_quotes_inside_text_are_not_openers() {
        let text = "role: Kepala Bidang's [lama\nnote: he said \"yes\nx: 1 # a [ comment\ny: z\n";
        assert_eq!(at(text, 3), None);
    }

    #[test]
    fn block_scalars_are_skipped() {
        let text = "body: |\n  a [ b \" c\n  d\nnext: 1\n";
        assert_eq!(at(text, 3), None);
        let folded = "- text: >-\n    it's [x\n  id: 2\n";
        assert_eq!(at(folded, 2), None);
        // The block ends at the next key of the item.
        let then = "- text: >-\n    x\n  id: [2\n  y: 1\n";
        assert_eq!(at(then, 3), Some((2, 6, '[')));
    }

    #[test]
    fn doubled_single_quotes_and_escaped_double_quotes_stay_inside() {
        let text = "a: 'it''s'\nb: \"say \\\"hi\\\"\"\nc: 1\n";
        assert_eq!(at(text, 2), None);
    }

    #[test]
    fn a_key_indented_differently_from_its_item_is_found() {
        let text = "attendees:\n  - name: A\n   role: B\n  - name: C\n    role: D\n";
        assert_eq!(misindented_key(text, 1, 3, 4, "role"), Some((2, 3)));
        // Correctly indented: nothing to point at.
        assert_eq!(misindented_key(text, 3, 4, 4, "role"), None);
        // Only the named key, and only as a key.
        assert_eq!(misindented_key("- a: roles x\n", 0, 0, 2, "role"), None);
    }
}
