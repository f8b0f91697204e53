//! "Did you mean" for typos: the closest valid subcommands, options and enum values by edit
//! distance. clap has this behind its `suggestions` feature (which pulls in `strsim`); this is
//! the few lines the CLI needs, rendered through clap's own error context so the output is the
//! same as the feature's.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::Command;
use std::ffi::OsString;

/// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the optimal-string-alignment table: two back, one back, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidates closest to `word` (all of them on a tie), if close enough to be a typo: at
/// most one edit in three characters, and at least one.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Vec<&str> = Vec::new();
    let mut best_distance = limit + 1;
    for c in candidates {
        let d = distance(word, c);
        if d < best_distance {
            best_distance = d;
            best.clear();
        }
        if d == best_distance && d > 0 && !best.contains(&c) {
            best.push(c);
        }
    }
    best
}

/// The command the parser had reached when it met `bad` on the command line (an unknown
/// subcommand name, or an unknown `--option`), found by walking `args` through `root`.
fn reached<'a>(root: &'a Command, args: &[OsString], bad: &str) -> &'a Command {
    let mut cmd = root;
    let mut tokens = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(token) = tokens.next() {
        if token == "--" {
            break;
        }
        if let Some(long) = token.strip_prefix("--") {
            let (name, inline_value) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            if token.split('=').next() == Some(bad) {
                return cmd;
            }
            let arg = cmd.get_arguments().find(|a| a.get_long() == Some(name));
            let takes_value = arg.and_then(|a| a.get_num_args()).is_some_and(|n| n.min_values() > 0);
            if takes_value && !inline_value {
                tokens.next();
            }
        } else if token == bad {
            return cmd;
        } else if let Some(sub) = cmd.find_subcommand(token.as_ref()) {
            cmd = sub;
        }
    }
    cmd
}

/// Adds "a similar subcommand/argument exists" to clap's error for an unknown subcommand or
/// option, when one is close enough.
pub fn add_to(mut err: clap::Error, args: &[OsString]) -> clap::Error {
    let bad = match (err.kind(), err.get(ContextKind::InvalidSubcommand), err.get(ContextKind::InvalidArg)) {
        (ErrorKind::InvalidSubcommand, Some(ContextValue::String(s)), _) => s.clone(),
        (ErrorKind::UnknownArgument, _, Some(ContextValue::String(s))) => s.clone(),
        _ => return err,
    };
    if err.get(ContextKind::SuggestedSubcommand).is_some() || err.get(ContextKind::SuggestedArg).is_some() {
        return err; // clap found one itself
    }
    let mut root = crate::command::root();
    root.build(); // propagates the global options to every subcommand
    let cmd = reached(&root, args, &bad);
    match err.kind() {
        ErrorKind::InvalidSubcommand => {
            let names = cmd.get_subcommands().filter(|s| !s.is_hide_set()).map(Command::get_name);
            let found = closest(&bad, names);
            if !found.is_empty() {
                let found = found.into_iter().map(String::from).collect();
                err.insert(ContextKind::SuggestedSubcommand, ContextValue::Strings(found));
            }
        }
        _ => {
            let Some(word) = bad.strip_prefix("--") else { return err };
            let word = word.split('=').next().unwrap_or(word);
            let longs = cmd.get_arguments().filter(|a| !a.is_hide_set()).filter_map(|a| a.get_long());
            let found = closest(word, longs);
            if !found.is_empty() {
                let found = found.into_iter().map(|f| format!("--{f}")).collect();
                err.insert(ContextKind::SuggestedArg, ContextValue::Strings(found));
                // The "to pass it as a value, use `-- ...`" tip is for when nothing is close.
                err.remove(ContextKind::Suggested);
            }
        }
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("indexs", "indexes"), 1);
        assert_eq!(distance("page-sise", "page-size"), 1);
        assert_eq!(distance("lsit", "list"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_keeps_ties_and_drops_far_ones() {
        assert_eq!(closest("indexs", ["indexes", "beta", "help"]), ["indexes"]);
        assert_eq!(closest("xet", ["get", "set", "list"]), ["get", "set"]);
        assert_eq!(closest("gat", ["get", "set", "list"]), ["get"]);
        assert!(closest("frobnicate", ["indexes", "beta", "help"]).is_empty());
        assert!(closest("list", ["list"]).is_empty(), "an exact match is no typo");
    }
}
