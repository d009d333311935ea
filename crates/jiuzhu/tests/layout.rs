//! Issue 16 item 4: the workspace's layout stays one a newcomer can find their way around in —
//! no import cycle between files, no source file over 800 lines, and every file opens with a
//! `//!` line that says what it is for.
//!
//! An import is any `crate::…` or `super::…` path and any path into a child module declared
//! in the file, resolved to the file that defines the item (through `pub use` re-exports), so
//! a `lib.rs` that only declares and re-exports its children is not part of a cycle, but one
//! that also defines what the children use is. Test modules are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be (tests excepted).
const MAX_LINES: usize = 800;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every source file of every crate, by crate source root.
fn sources() -> Vec<(PathBuf, PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read a source folder") {
            let p = e.expect("a folder entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    for c in std::fs::read_dir(workspace().join("crates")).expect("the crates folder") {
        let src = c.expect("a crate").path().join("src");
        if src.is_dir() {
            let mut files = Vec::new();
            walk(&src, &mut files);
            all.extend(files.into_iter().map(|f| (src.clone(), f)));
        }
    }
    all.sort();
    all
}

/// The file's code without comments and without its test module.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module path of a file below its crate root (`lib.rs` → [], `a/mod.rs` → [a]).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file of a module path, if it is a file of its own.
fn file_of(src: &Path, module: &[String]) -> Option<PathBuf> {
    if module.is_empty() {
        return ["lib.rs", "main.rs"]
            .iter()
            .map(|f| src.join(f))
            .find(|p| p.exists());
    }
    let base = module.iter().fold(src.to_path_buf(), |p, m| p.join(m));
    [base.with_extension("rs"), base.join("mod.rs")]
        .into_iter()
        .find(|p| p.exists())
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The path segments starting at `at` (`a::b::{c, d::e}` gives [a, b] and the group's items).
fn path_at(code: &str, at: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let rest = &code[at..];
    let mut segs = Vec::new();
    let mut i = 0;
    loop {
        let end = rest[i..]
            .find(|c: char| !is_ident(c))
            .map_or(rest.len(), |e| i + e);
        if end == i {
            break;
        }
        segs.push(rest[i..end].to_owned());
        if !rest[end..].starts_with("::") {
            return (segs, vec![]);
        }
        i = end + 2;
        if rest[i..].starts_with('{') {
            let close = rest[i..].find('}').map_or(rest.len(), |e| i + e);
            let items = rest[i + 1..close]
                .split(',')
                .map(|it| it.split(" as ").next().unwrap_or("").trim())
                .filter(|it| !it.is_empty() && *it != "self")
                .map(|it| it.split("::").map(|s| s.trim().to_owned()).collect())
                .collect();
            return (segs, items);
        }
    }
    (segs, vec![])
}

/// Names a module file re-exports (`pub use x::{A, B}`, `pub use x::A`, `pub use x::*`), with
/// the module path they come from.
fn reexports(code: &str, me: &[String]) -> (BTreeMap<String, Vec<String>>, Vec<Vec<String>>) {
    let mut named = BTreeMap::new();
    let mut globs = Vec::new();
    for line in code.lines() {
        let l = line.trim_start();
        if !l.starts_with("pub") {
            continue;
        }
        let Some(rest) = without_visibility(l).strip_prefix("use ") else {
            continue;
        };
        let (mut segs, items) = path_at(rest, 0);
        let base: Vec<String> = match segs.first().map(String::as_str) {
            Some("crate") => {
                segs.remove(0);
                vec![]
            }
            Some("super") => {
                segs.remove(0);
                me[..me.len().saturating_sub(1)].to_vec()
            }
            _ => me.to_vec(),
        };
        if rest[..rest.find(';').unwrap_or(rest.len())].ends_with("::*") {
            globs.push([base, segs].concat());
        } else if items.is_empty() {
            if let Some(last) = segs.pop() {
                named.insert(last, [base, segs].concat());
            }
        } else {
            for it in items {
                let name = it.last().cloned().unwrap_or_default();
                let from = [base.clone(), segs.clone(), it[..it.len() - 1].to_vec()].concat();
                named.insert(name, from);
            }
        }
    }
    (named, globs)
}

/// A declaration without its `pub`, `pub(crate)`, `pub(super)` or `pub(in …)`.
fn without_visibility(l: &str) -> &str {
    if let Some(rest) = l.strip_prefix("pub(") {
        return rest.find(") ").map_or(l, |i| &rest[i + 2..]);
    }
    l.strip_prefix("pub ").unwrap_or(l)
}

/// Declares `name` at the top level of a file.
fn defines(code: &str, name: &str) -> bool {
    code.lines().any(|l| {
        let l = without_visibility(l.trim_start());
        [
            "fn ", "struct ", "enum ", "const ", "type ", "trait ", "static ",
        ]
        .iter()
        .any(|k| {
            l.strip_prefix(k)
                .is_some_and(|r| r.starts_with(name) && !r[name.len()..].starts_with(is_ident))
        })
    })
}

/// The file that defines `module::rest[0]`, following the module's re-exports one step.
fn resolve(
    src: &Path,
    module: &[String],
    rest: &[String],
    codes: &BTreeMap<PathBuf, String>,
) -> Option<PathBuf> {
    for n in (0..=rest.len()).rev() {
        let m = [module, &rest[..n]].concat();
        let Some(file) = file_of(src, &m) else {
            continue;
        };
        let Some(next) = rest.get(n) else {
            return Some(file);
        };
        let code = codes.get(&file)?;
        let (named, globs) = reexports(code, &m);
        if let Some(from) = named.get(next) {
            return file_of(src, from).or(Some(file));
        }
        for g in globs {
            if let Some(f) = file_of(src, &g)
                && codes.get(&f).is_some_and(|c| defines(c, next))
            {
                return Some(f);
            }
        }
        return Some(file);
    }
    None
}

fn imports(src: &Path, file: &Path, codes: &BTreeMap<PathBuf, String>) -> BTreeSet<PathBuf> {
    let code = &codes[file];
    let me = module_of(src, file);
    let mut out = BTreeSet::new();
    let children: Vec<String> = code
        .lines()
        .filter_map(|l| {
            without_visibility(l.trim_start())
                .strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_owned)
        })
        .collect();
    for (at, _) in code.match_indices("::") {
        // The identifier before this `::`; only the first segment of a path counts.
        let start = code[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| !is_ident(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        if start == at || code[..start].ends_with(':') {
            continue;
        }
        let head = &code[start..at];
        let (segs, groups) = path_at(code, start);
        let (base, rest): (Vec<String>, Vec<String>) = match head {
            "crate" => (vec![], segs[1..].to_vec()),
            "super" => {
                let mut base = me[..me.len().saturating_sub(1)].to_vec();
                let mut rest = &segs[1..];
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                (base, rest.to_vec())
            }
            h if children.iter().any(|c| c == h) => (me.clone(), segs.clone()),
            _ => continue,
        };
        let targets: Vec<Vec<String>> = if groups.is_empty() {
            vec![rest]
        } else {
            groups
                .into_iter()
                .map(|g| [rest.clone(), g].concat())
                .collect()
        };
        for t in targets {
            if let Some(f) = resolve(src, &base, &t, codes)
                && f != file
            {
                out.insert(f);
            }
        }
    }
    out
}

/// Groups of files that import each other, round (Tarjan's strongly connected components).
fn cycles(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct T<'a> {
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, (usize, usize)>,
        stack: Vec<&'a PathBuf>,
        next: usize,
        found: Vec<Vec<PathBuf>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a PathBuf) {
        t.index.insert(v, (t.next, t.next));
        t.next += 1;
        t.stack.push(v);
        if let Some(ws) = t.edges.get(v) {
            for w in ws {
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.index[w].1;
                    let e = t.index.get_mut(v).expect("visited");
                    e.1 = e.1.min(lw);
                } else if t.stack.contains(&w) {
                    let iw = t.index[w].0;
                    let e = t.index.get_mut(v).expect("visited");
                    e.1 = e.1.min(iw);
                }
            }
        }
        let (i, low) = t.index[v];
        if i == low {
            let mut group = Vec::new();
            while let Some(w) = t.stack.pop() {
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                t.found.push(group);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        stack: vec![],
        next: 0,
        found: vec![],
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.found
}

#[test]
fn no_import_cycle_between_files() {
    let files = sources();
    let codes: BTreeMap<PathBuf, String> = files
        .iter()
        .map(|(_, f)| {
            (
                f.clone(),
                code_of(&std::fs::read_to_string(f).expect("read")),
            )
        })
        .collect();
    let edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = files
        .iter()
        .map(|(src, f)| (f.clone(), imports(src, f, &codes)))
        .collect();
    // The check sees imports at all: the engine reads the procedure guards.
    let moves = workspace().join("crates/cases/src/moves.rs");
    assert!(
        edges
            .get(&moves)
            .is_some_and(|e| e.iter().any(|f| f.ends_with("cases/src/guards.rs"))),
        "the check finds no import of guards.rs in moves.rs: {:?}",
        edges.get(&moves)
    );
    if std::env::var_os("LAYOUT_DEBUG").is_some() {
        for (f, e) in &edges {
            eprintln!("{} -> {:?}", f.display(), e);
        }
    }
    let found = cycles(&edges);
    let shown: Vec<String> = found
        .iter()
        .map(|g| {
            g.iter()
                .map(|f| {
                    f.strip_prefix(workspace())
                        .unwrap_or(f)
                        .display()
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join(" ⇄ ")
        })
        .collect();
    assert!(
        shown.is_empty(),
        "files importing each other:\n{}",
        shown.join("\n")
    );
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let a = PathBuf::from("a.rs");
    let b = PathBuf::from("b.rs");
    let c = PathBuf::from("c.rs");
    let edges = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b.clone(), BTreeSet::from([a.clone(), c.clone()])),
        (c.clone(), BTreeSet::new()),
    ]);
    if std::env::var_os("LAYOUT_DEBUG").is_some() {
        for (f, e) in &edges {
            eprintln!("{} -> {:?}", f.display(), e);
        }
    }
    let found = cycles(&edges);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].iter().collect::<BTreeSet<_>>(),
        BTreeSet::from([&a, &b])
    );
}

#[test]
fn every_source_file_is_short_and_says_what_it_is_for() {
    let mut problems = Vec::new();
    for (_, f) in sources() {
        let text = std::fs::read_to_string(&f).expect("read");
        let name = f
            .strip_prefix(workspace())
            .unwrap_or(&f)
            .display()
            .to_string();
        if !text.starts_with("//!") {
            problems.push(format!("{name}: does not open with a //! line"));
        }
        let lines = code_of(&text).lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "{name}: {lines} lines outside its tests (at most {MAX_LINES})"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
