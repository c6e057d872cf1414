//! Key presses through WebDriver key actions, delivered to whatever has focus.
//!
//! Why not `Element Send Keys` on the active element: chromedriver first "focuses" the
//! element it is given (it calls `element.focus()`), and when focus sits inside a widget
//! with focusable parts of its own — the day/month/year fields of an `<input type=date>`
//! — that call moves focus back to the widget's first part on some Chromium versions
//! (148) and not on others (156). A Tab loop through the form then never gets past the
//! date field on the former. Key actions focus nothing: they press keys the way a person
//! (or Playwright's `keyboard.press`) does, on every version.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};

/// WebDriver's code points for the modifier keys: Shift, Control, Alt, Meta and their
/// right-hand twins.
const MODIFIERS: [char; 8] = ['\u{E008}', '\u{E009}', '\u{E00A}', '\u{E03D}', '\u{E050}', '\u{E051}', '\u{E052}', '\u{E053}'];
/// WebDriver's Null key: lets go of every held modifier.
const NULL: char = '\u{E000}';

/// One key going down or up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    Down(char),
    Up(char),
}

/// The strokes that typing `keys` makes, with the rules of Element Send Keys: a modifier
/// stays down until it is typed again, until Null, or until the end; any other key is
/// pressed and released. `Key::Control + "a"` is Ctrl+A.
pub fn strokes(keys: &str) -> Vec<Stroke> {
    let mut held: Vec<char> = Vec::new();
    let mut strokes = Vec::new();
    for key in keys.chars() {
        if key == NULL {
            strokes.extend(held.drain(..).rev().map(Stroke::Up));
        } else if MODIFIERS.contains(&key) {
            match held.iter().position(|&down| down == key) {
                Some(at) => {
                    held.remove(at);
                    strokes.push(Stroke::Up(key));
                }
                None => {
                    held.push(key);
                    strokes.push(Stroke::Down(key));
                }
            }
        } else {
            strokes.extend([Stroke::Down(key), Stroke::Up(key)]);
        }
    }
    strokes.extend(held.into_iter().rev().map(Stroke::Up));
    strokes
}

/// [`strokes`] as one keyboard action sequence.
pub fn actions(keys: &str) -> KeyActions {
    strokes(keys).into_iter().fold(KeyActions::new("keyboard".to_owned()), |actions, stroke| {
        actions.then(match stroke {
            Stroke::Down(value) => KeyAction::Down { value },
            Stroke::Up(value) => KeyAction::Up { value },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fantoccini::key::Key;

    #[test]
    fn plain_keys_go_down_and_up() {
        assert_eq!(strokes("ab"), [Stroke::Down('a'), Stroke::Up('a'), Stroke::Down('b'), Stroke::Up('b')]);
        let tab = Key::Tab.to_string().chars().next().expect("a code point");
        assert_eq!(strokes(&Key::Tab), [Stroke::Down(tab), Stroke::Up(tab)]);
        assert!(strokes("").is_empty());
    }

    #[test]
    fn modifiers_are_held_until_typed_again_null_or_the_end() {
        let ctrl = '\u{E009}';
        let shift = '\u{E008}';
        assert_eq!(strokes(&(Key::Control + "a")), [Stroke::Down(ctrl), Stroke::Down('a'), Stroke::Up('a'), Stroke::Up(ctrl)]);
        let toggled = format!("{ctrl}a{ctrl}b");
        assert_eq!(
            strokes(&toggled),
            [Stroke::Down(ctrl), Stroke::Down('a'), Stroke::Up('a'), Stroke::Up(ctrl), Stroke::Down('b'), Stroke::Up('b')]
        );
        let nulled = format!("{ctrl}{shift}x{NULL}y");
        assert_eq!(
            strokes(&nulled),
            [
                Stroke::Down(ctrl),
                Stroke::Down(shift),
                Stroke::Down('x'),
                Stroke::Up('x'),
                Stroke::Up(shift),
                Stroke::Up(ctrl),
                Stroke::Down('y'),
                Stroke::Up('y')
            ]
        );
    }
}
