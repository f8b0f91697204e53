//! A line diff for `check`: shows what regeneration would change as unified hunks with three
//! lines of context.
//!
//! The edit script comes from Myers' O((N+M)·D) algorithm in its linear-space form (the middle
//! snake, divide and conquer), so it is minimal whatever the file's size: a changed header line
//! and a changed block in the middle of a 6,000-line file show as exactly those lines. When the
//! edit distance is very large (more than `MAX_EDITS` lines) the search stops and the remaining
//! changed region is shown as deleted and re-added: still a correct diff, just not a minimal one.

use std::collections::HashMap;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// The largest edit distance searched for; above it the diff stays correct but not minimal.
const MAX_EDITS: usize = 20_000;

/// A unified diff of `old` → `new`, labelled with `name`. Lines compare with their line ending,
/// so a missing final newline shows (as `\ No newline at end of file`).
pub fn unified(old: &str, new: &str, name: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = edit_script(&a, &b, MAX_EDITS);
    let mut out = format!("--- {name} (committed)\n+++ {name} (generated)\n");
    // Old and new lines before `ops[done]`.
    let (mut done, mut old_at, mut new_at) = (0, 0, 0);
    for hunk in hunks(&ops) {
        let (skipped_old, skipped_new) = lines_in(&ops[done..hunk.start]);
        (old_at, new_at) = (old_at + skipped_old, new_at + skipped_new);
        let (old_len, new_len) = lines_in(&ops[hunk.clone()]);
        // An empty range names the line before it (GNU and git do the same).
        let start = |at: usize, len: usize| if len == 0 { at } else { at + 1 };
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            start(old_at, old_len),
            start(new_at, new_len)
        ));
        (done, old_at, new_at) = (hunk.end, old_at + old_len, new_at + new_len);
        for op in &ops[hunk] {
            let (mark, line) = match *op {
                Op::Same(i, _) => (' ', a[i]),
                Op::Del(i) => ('-', a[i]),
                Op::Add(j) => ('+', b[j]),
            };
            out.push(mark);
            match line.strip_suffix('\n') {
                Some(text) => {
                    out.push_str(text);
                    out.push('\n');
                }
                None => {
                    out.push_str(line);
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// One step of the edit script, by line index: `Same(old, new)`, `Del(old)`, `Add(new)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    Del(usize),
    Add(usize),
}

/// How many old and new lines `ops` covers.
fn lines_in(ops: &[Op]) -> (usize, usize) {
    ops.iter().fold((0, 0), |(o, n), op| match op {
        Op::Same(..) => (o + 1, n + 1),
        Op::Del(_) => (o + 1, n),
        Op::Add(_) => (o, n + 1),
    })
}

/// The ranges of `ops` to print: each change with up to [`CONTEXT`] unchanged lines either side;
/// changes separated by at most twice that many unchanged lines share a hunk.
fn hunks(ops: &[Op]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, _) in ops.iter().enumerate().filter(|(_, op)| !matches!(op, Op::Same(..))) {
        let (start, end) = (i.saturating_sub(CONTEXT), (i + 1 + CONTEXT).min(ops.len()));
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

/// The edit script turning `a` into `b`: minimal when the edit distance is at most `max_edits`.
fn edit_script<'a>(a: &[&'a str], b: &[&'a str], max_edits: usize) -> Vec<Op> {
    // Compare small integers rather than strings.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut id = |l: &'a str| {
        let next = ids.len() as u32;
        *ids.entry(l).or_insert(next)
    };
    let a_ids: Vec<u32> = a.iter().map(|&l| id(l)).collect();
    let b_ids: Vec<u32> = b.iter().map(|&l| id(l)).collect();
    // Lines one side has more copies of than the other must be deleted or added: when those
    // alone exceed the limit, don't search at all (two unrelated files cost nothing).
    let mut surplus = vec![0i64; ids.len()];
    a_ids.iter().for_each(|&i| surplus[i as usize] += 1);
    b_ids.iter().for_each(|&i| surplus[i as usize] -= 1);
    let at_least = surplus.iter().map(|s| s.unsigned_abs()).sum::<u64>();
    let max_edits = if at_least > max_edits as u64 { 0 } else { max_edits };
    let mut m = Myers::new(&a_ids, &b_ids, max_edits);
    m.conquer(0..a.len(), 0..b.len());
    // Within each run of changes, deletions first (the script stays valid: each kind keeps its
    // order), so a replaced block reads as the old lines, then the new.
    let mut ops = m.ops;
    let mut i = 0;
    while i < ops.len() {
        let run = ops[i..].iter().take_while(|op| !matches!(op, Op::Same(..))).count();
        ops[i..i + run].sort_by_key(|op| matches!(op, Op::Add(_)));
        i += run.max(1);
    }
    ops
}

struct Myers<'a> {
    a: &'a [u32],
    b: &'a [u32],
    /// Furthest-reaching x per diagonal, forward and backward, indexed by diagonal + offset.
    vf: Vec<isize>,
    vb: Vec<isize>,
    /// How many rounds each direction of a middle-snake search may take.
    max_d: usize,
    ops: Vec<Op>,
}

impl<'a> Myers<'a> {
    fn new(a: &'a [u32], b: &'a [u32], max_edits: usize) -> Self {
        let max_d = max_edits / 2 + 1;
        // Diagonals in a search run from -d-1 to d+1 with d < min(max_d, (N+M)/2 + 2).
        let len = 2 * (max_d.min((a.len() + b.len()) / 2 + 2) + 2) + 1;
        Myers { a, b, vf: vec![0; len], vb: vec![0; len], max_d, ops: Vec::new() }
    }

    /// Appends the edit script for `a[ar]` → `b[br]`.
    fn conquer(&mut self, mut ar: std::ops::Range<usize>, mut br: std::ops::Range<usize>) {
        while ar.start < ar.end && br.start < br.end && self.a[ar.start] == self.b[br.start] {
            self.ops.push(Op::Same(ar.start, br.start));
            ar.start += 1;
            br.start += 1;
        }
        let mut suffix = 0;
        while ar.start < ar.end - suffix
            && br.start < br.end - suffix
            && self.a[ar.end - suffix - 1] == self.b[br.end - suffix - 1]
        {
            suffix += 1;
        }
        let (ar_end, br_end) = (ar.end, br.end);
        ar.end -= suffix;
        br.end -= suffix;
        if ar.is_empty() || br.is_empty() {
            self.ops.extend(ar.map(Op::Del));
            self.ops.extend(br.map(Op::Add));
        } else {
            match self.middle_snake(ar.clone(), br.clone()) {
                Some((x, y)) => {
                    self.conquer(ar.start..x, br.start..y);
                    self.conquer(x..ar.end, y..br.end);
                }
                // Too many edits to search: show the region as replaced.
                None => {
                    self.ops.extend(ar.map(Op::Del));
                    self.ops.extend(br.map(Op::Add));
                }
            }
        }
        self.ops.extend((ar_end - suffix..ar_end).zip(br_end - suffix..br_end).map(|(i, j)| Op::Same(i, j)));
    }

    /// A point (absolute indices) on an optimal path through `a[ar]` × `b[br]` strictly between
    /// its corners, found by searching from both ends until the paths meet (Myers 1986, 4b).
    /// `None` when more than `max_d` rounds would be needed. Both ranges are non-empty and
    /// differ in their first and last elements.
    fn middle_snake(
        &mut self,
        ar: std::ops::Range<usize>,
        br: std::ops::Range<usize>,
    ) -> Option<(usize, usize)> {
        let (n, m) = (ar.len() as isize, br.len() as isize);
        let (a, b) = (&self.a[ar.clone()], &self.b[br.clone()]);
        let delta = n - m;
        let odd = delta & 1 == 1;
        let rounds = self.max_d.min(((n + m + 1) / 2 + 1) as usize) as isize;
        let off = (self.vf.len() / 2) as isize;
        let at = |k: isize| (k + off) as usize;
        self.vf[at(1)] = 0;
        self.vb[at(1)] = 0;
        for d in 0..rounds {
            // Forward: vf[k] is the furthest x on diagonal k = x - y from (0, 0).
            for k in (-d..=d).step_by(2) {
                let mut x = if k == -d || (k != d && self.vf[at(k - 1)] < self.vf[at(k + 1)]) {
                    self.vf[at(k + 1)]
                } else {
                    self.vf[at(k - 1)] + 1
                };
                let (x0, y0) = (x, x - k);
                let mut y = y0;
                while x < n && y < m && y >= 0 && a[x as usize] == b[y as usize] {
                    x += 1;
                    y += 1;
                }
                self.vf[at(k)] = x;
                // Backward diagonal delta - k, searched d - 1 rounds so far.
                if odd && (k - delta).abs() < d && x + self.vb[at(delta - k)] >= n {
                    return split(x0, y0, n, m).map(|(x, y)| (ar.start + x, br.start + y));
                }
            }
            // Backward: vb[k] is the furthest x on diagonal k, counted from (n, m) towards (0, 0).
            for k in (-d..=d).step_by(2) {
                let mut x = if k == -d || (k != d && self.vb[at(k - 1)] < self.vb[at(k + 1)]) {
                    self.vb[at(k + 1)]
                } else {
                    self.vb[at(k - 1)] + 1
                };
                let mut y = x - k;
                while x < n && y < m && y >= 0 && a[(n - x - 1) as usize] == b[(m - y - 1) as usize] {
                    x += 1;
                    y += 1;
                }
                self.vb[at(k)] = x;
                if !odd && (k - delta).abs() <= d && x + self.vf[at(delta - k)] >= n {
                    return split(n - x, m - y, n, m).map(|(x, y)| (ar.start + x, br.start + y));
                }
            }
        }
        None
    }
}

/// The split point if it lies inside the grid and not on a corner (so both halves shrink).
fn split(x: isize, y: isize, n: isize, m: isize) -> Option<(usize, usize)> {
    let inside = (0..=n).contains(&x) && (0..=m).contains(&y);
    (inside && (x, y) != (0, 0) && (x, y) != (n, m)).then_some((x as usize, y as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator (64-bit LCG, high bits).
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// Applies a diff made by [`unified`] to `old`, checking every context and deleted line and
    /// every hunk header along the way.
    fn apply(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.split_inclusive('\n').collect();
        let lines: Vec<&str> = diff.split('\n').collect();
        assert!(lines[0].starts_with("--- ") && lines[1].starts_with("+++ "), "{diff}");
        assert_eq!(lines.last(), Some(&""), "the diff ends with a newline");
        let lines = &lines[2..lines.len() - 1];
        let mut out = String::new();
        let mut pos = 0; // next old line to copy
        let mut i = 0;
        while i < lines.len() {
            let header = lines[i].strip_prefix("@@ -").and_then(|h| h.strip_suffix(" @@")).expect(lines[i]);
            let nums: Vec<usize> =
                header.split([',', ' ', '+']).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
            let [old_at, old_len, new_at, new_len] = nums[..] else { panic!("bad header {header}") };
            let old_start = if old_len == 0 { old_at } else { old_at - 1 };
            assert!(old_start >= pos, "hunks overlap or go backwards: {header}");
            out.extend(old[pos..old_start].iter().copied());
            pos = old_start;
            let new_start = if new_len == 0 { new_at } else { new_at - 1 };
            assert_eq!(out.split_inclusive('\n').count(), new_start, "new start of {header}");
            let (mut seen_old, mut seen_new) = (0, 0);
            i += 1;
            while i < lines.len() && !lines[i].starts_with("@@") {
                let (mark, text) = lines[i].split_at(1);
                let no_newline = lines.get(i + 1).is_some_and(|l| l.starts_with('\\'));
                let line = if no_newline { text.to_string() } else { format!("{text}\n") };
                i += 1 + no_newline as usize;
                match mark {
                    " " | "-" => {
                        assert_eq!(old[pos], line, "context or deleted line {}", pos + 1);
                        pos += 1;
                        seen_old += 1;
                        if mark == " " {
                            out.push_str(&line);
                            seen_new += 1;
                        }
                    }
                    "+" => {
                        out.push_str(&line);
                        seen_new += 1;
                    }
                    _ => panic!("bad line {:?}", lines[i - 1]),
                }
            }
            assert_eq!((seen_old, seen_new), (old_len, new_len), "counts of {header}");
        }
        out.extend(old[pos..].iter().copied());
        out
    }

    fn count(diff: &str, mark: char) -> usize {
        diff.lines().skip(2).filter(|l| l.starts_with(mark)).count()
    }

    fn headers(diff: &str) -> Vec<&str> {
        diff.lines().filter(|l| l.starts_with("@@")).collect()
    }

    fn check(old: &str, new: &str) -> String {
        let d = unified(old, new, "f.rs");
        assert_eq!(apply(old, &d), new, "applying\n{d}");
        d
    }

    #[test]
    fn shows_changed_lines_with_context() {
        let d = check("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(d, "--- f.rs (committed)\n+++ f.rs (generated)\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    }

    #[test]
    fn header_and_middle_block_of_a_large_file_show_as_just_those_lines() {
        let old: Vec<String> = std::iter::once("// @generated from spec (hash 1111)".to_string())
            .chain((2..=6000).map(|i| format!("line {i}")))
            .collect();
        let mut new = old.clone();
        new[0] = "// @generated from spec (hash 2222)".to_string();
        for line in &mut new[3000..3138] {
            *line = format!("{line} changed");
        }
        let (old, new) = (old.join("\n") + "\n", new.join("\n") + "\n");
        let d = check(&old, &new);
        assert_eq!((count(&d, '-'), count(&d, '+')), (139, 139), "{d}");
        assert_eq!(headers(&d), ["@@ -1,4 +1,4 @@", "@@ -2998,144 +2998,144 @@"]);
        assert!(d.contains(
            "\n-// @generated from spec (hash 1111)\n+// @generated from spec (hash 2222)\n line 2\n"
        ));
        let block: String = (3001..=3138)
            .map(|i| format!("-line {i}\n"))
            .chain((3001..=3138).map(|i| format!("+line {i} changed\n")))
            .collect();
        let middle =
            format!(" line 2998\n line 2999\n line 3000\n{block} line 3139\n line 3140\n line 3141\n");
        assert!(d.ends_with(&middle), "{d}");
    }

    #[test]
    fn insert_only() {
        let d = check("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nx\ny\ne\nf\ng\nh\n");
        assert_eq!(headers(&d), ["@@ -2,6 +2,8 @@"]);
        assert_eq!((count(&d, '-'), count(&d, '+')), (0, 2));
        let d = check("a\n", "x\na\n");
        assert_eq!(headers(&d), ["@@ -1,1 +1,2 @@"]);
    }

    #[test]
    fn delete_only() {
        let d = check("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nd\ng\nh\ni\n");
        assert_eq!(headers(&d), ["@@ -2,8 +2,6 @@"]);
        assert_eq!((count(&d, '-'), count(&d, '+')), (2, 0));
    }

    #[test]
    fn empty_old_or_new() {
        let d = check("", "a\nb\n");
        assert_eq!(d, "--- f.rs (committed)\n+++ f.rs (generated)\n@@ -0,0 +1,2 @@\n+a\n+b\n");
        let d = check("a\nb\n", "");
        assert_eq!(d, "--- f.rs (committed)\n+++ f.rs (generated)\n@@ -1,2 +0,0 @@\n-a\n-b\n");
        assert_eq!(check("", ""), "--- f.rs (committed)\n+++ f.rs (generated)\n");
        assert_eq!(check("same\n", "same\n"), "--- f.rs (committed)\n+++ f.rs (generated)\n");
    }

    #[test]
    fn missing_final_newline_shows() {
        let d = check("a\nb", "a\nb\n");
        assert_eq!(d, "--- f.rs (committed)\n+++ f.rs (generated)\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
        check("a\nb\n", "a\nc");
        check("x", "y");
    }

    #[test]
    fn distant_changes_get_separate_hunks_and_near_ones_share() {
        let old: String = (1..=40).map(|i| format!("{i}\n")).collect();
        // Lines 10 and 17 have six unchanged lines between them: one hunk. Line 30 is far.
        let new = old.replace("10\n", "ten\n").replace("17\n", "seventeen\n").replace("30\n", "thirty\n");
        let d = check(&old, &new);
        assert_eq!(headers(&d), ["@@ -7,14 +7,14 @@", "@@ -27,7 +27,7 @@"]);
        // Seven unchanged lines between: two hunks.
        let new = old.replace("10\n", "ten\n").replace("18\n", "eighteen\n");
        assert_eq!(headers(&check(&old, &new)), ["@@ -7,7 +7,7 @@", "@@ -15,7 +15,7 @@"]);
    }

    /// Length of the longest common subsequence, by the quadratic table.
    fn lcs(a: &[&str], b: &[&str]) -> usize {
        let mut row = vec![0; b.len() + 1];
        for x in a {
            let mut diag = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
                diag = up;
            }
        }
        row[b.len()]
    }

    fn random_text(rng: &mut Lcg, lines: u64, alphabet: u64) -> String {
        (0..rng.below(lines + 1)).map(|_| format!("l{}\n", rng.below(alphabet))).collect()
    }

    /// `new` made from `old` by a few random deletions, insertions and replacements.
    fn edited(rng: &mut Lcg, old: &str, alphabet: u64) -> String {
        let mut lines: Vec<String> = old.lines().map(str::to_string).collect();
        for _ in 0..rng.below(8) {
            let at = rng.below(lines.len() as u64 + 1) as usize;
            match rng.below(3) {
                0 if at < lines.len() => drop(lines.remove(at)),
                1 if at < lines.len() => lines[at] = format!("l{}", rng.below(alphabet)),
                _ => lines.insert(at, format!("l{}", rng.below(alphabet))),
            }
        }
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    #[test]
    fn hunks_reproduce_new_and_the_script_is_minimal() {
        let mut rng = Lcg(0x5eed);
        for round in 0..400 {
            let alphabet = [2, 3, 5, 20][round % 4];
            let old = random_text(&mut rng, 40, alphabet);
            let new = if round % 2 == 0 {
                edited(&mut rng, &old, alphabet)
            } else {
                random_text(&mut rng, 40, alphabet)
            };
            check(&old, &new);
            let (a, b): (Vec<&str>, Vec<&str>) =
                (old.split_inclusive('\n').collect(), new.split_inclusive('\n').collect());
            let edits =
                edit_script(&a, &b, MAX_EDITS).iter().filter(|op| !matches!(op, Op::Same(..))).count();
            assert_eq!(edits, a.len() + b.len() - 2 * lcs(&a, &b), "not minimal:\n{old}---\n{new}");
        }
    }

    #[test]
    fn larger_random_edits_apply() {
        let mut rng = Lcg(42);
        for _ in 0..5 {
            let old = random_text(&mut rng, 3000, 50);
            let mut new = old.clone();
            for _ in 0..20 {
                new = edited(&mut rng, &new, 50);
            }
            check(&old, &new);
        }
    }

    #[test]
    fn too_many_edits_fall_back_to_a_correct_replacement() {
        let a = ["h1\n", "same\n", "x\n", "y\n", "z\n", "same2\n", "t\n"];
        let b = ["h2\n", "same\n", "p\n", "q\n", "r\n", "same2\n", "u\n"];
        // Capped below the real distance (10): the changed region is replaced wholesale.
        let ops = edit_script(&a, &b, 2);
        let dels: Vec<usize> =
            ops.iter().filter_map(|op| if let Op::Del(i) = op { Some(*i) } else { None }).collect();
        let adds: Vec<usize> =
            ops.iter().filter_map(|op| if let Op::Add(j) = op { Some(*j) } else { None }).collect();
        assert_eq!((dels, adds), ((0..7).collect(), (0..7).collect()));
        // Uncapped: minimal.
        let edits = edit_script(&a, &b, MAX_EDITS).iter().filter(|op| !matches!(op, Op::Same(..))).count();
        assert_eq!(edits, 10);
        // The same lines in another order: the search itself runs out of rounds.
        let a = [
            "p
", "1
", "2
", "3
", "4
", "5
", "6
", "s
",
        ];
        let b = [
            "p
", "6
", "5
", "4
", "3
", "2
", "1
", "s
",
        ];
        let ops = edit_script(&a, &b, 2);
        let expect: Vec<Op> = [Op::Same(0, 0)]
            .into_iter()
            .chain((1..7).map(Op::Del))
            .chain((1..7).map(Op::Add))
            .chain([Op::Same(7, 7)])
            .collect();
        assert_eq!(ops, expect);
        let edits = edit_script(&a, &b, MAX_EDITS).iter().filter(|op| !matches!(op, Op::Same(..))).count();
        assert_eq!(edits, 10);
    }

    #[test]
    fn completely_different_large_files_stay_fast_and_correct() {
        let old: String = (0..15_000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..15_000).map(|i| format!("new {i}\n")).collect();
        let started = std::time::Instant::now();
        let d = check(&old, &new);
        assert_eq!((count(&d, '-'), count(&d, '+')), (15_000, 15_000));
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
    }
}
