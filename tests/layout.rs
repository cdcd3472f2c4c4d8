//! The house rule of the source tree: no two modules import each other, and no longer ring of
//! modules does either (`a` uses `b` uses `c` uses `a`). Whatever two modules both need lives a
//! floor below them, so the modules read bottom up (the crate docs'
//! map of the pipeline) and each can be understood without the ones above it.
//!
//! The test reads `src/` as rustc would find it (from `lib.rs` and `main.rs`, following
//! `mod NAME;`), drops comments and the contents of string and character literals, and
//! resolves every path that names a module of the crate: `use` trees, `crate::`, `super::`,
//! `self::` and paths that start with a child module's name, through `pub use` re-exports to
//! the module that defines the item. A module that uses another module's item depends on it;
//! a parent that only declares a child (`mod child;`) does not. Test modules count too.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module: its path from the crate root (`["cluster", "linkage"]`), its crate (`lib` or
/// `bin`), its children and its tokens.
struct Module {
    krate: &'static str,
    path: Vec<String>,
    file: PathBuf,
    children: BTreeSet<String>,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    /// `::`
    Sep,
    /// Any other punctuation character.
    Punct(char),
}

/// `text` without comments, with string and character literals emptied (`""`, `' '`).
fn strip_comments_and_literals(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            // Raw strings: r"..", r#".."#, br#".."#.
            'r' if (i == 0
                || !is_ident_char(c[i - 1])
                || (c[i - 1] == 'b' && (i < 2 || !is_ident_char(c[i - 2]))))
                && matches!(c.get(i + 1), Some('"' | '#')) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while c.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push(c[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= c.len() {
                        break;
                    }
                    if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' => {
                // A character literal ('a', '\n', '\u{1b}', '{'), or a lifetime ('a, 'static).
                if c.get(i + 1) == Some(&'\\') {
                    let mut j = i + 2;
                    while j < c.len() && c[j] != '\'' {
                        j += 1;
                    }
                    out.push_str("' '");
                    i = j + 1;
                } else if c.get(i + 2) == Some(&'\'') {
                    out.push_str("' '");
                    i += 3;
                } else {
                    out.push('\'');
                    i += 1;
                }
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn tokenize(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if is_ident_char(c[i]) {
            let start = i;
            while i < c.len() && is_ident_char(c[i]) {
                i += 1;
            }
            tokens.push(Token::Ident(c[start..i].iter().collect()));
        } else if c[i] == ':' && c.get(i + 1) == Some(&':') {
            tokens.push(Token::Sep);
            i += 2;
        } else if c[i].is_whitespace() {
            i += 1;
        } else {
            tokens.push(Token::Punct(c[i]));
            i += 1;
        }
    }
    tokens
}

/// The names of the modules `tokens` declare with `mod NAME;` (not inline `mod NAME { }`).
fn declared_modules(tokens: &[Token]) -> Vec<String> {
    tokens
        .windows(3)
        .filter_map(|w| match w {
            [Token::Ident(m), Token::Ident(name), Token::Punct(';')] if m == "mod" => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

fn load(
    krate: &'static str,
    file: &Path,
    path: Vec<String>,
    modules: &mut BTreeMap<(&'static str, Vec<String>), Module>,
) {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let tokens = tokenize(&strip_comments_and_literals(&text));
    let children: BTreeSet<String> = declared_modules(&tokens).into_iter().collect();
    let name = file.file_name().unwrap().to_str().unwrap();
    let dir = if matches!(name, "lib.rs" | "main.rs" | "mod.rs") {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    };
    for child in &children {
        let flat = dir.join(format!("{child}.rs"));
        let nested = dir.join(child).join("mod.rs");
        let child_file = if flat.exists() { flat } else { nested };
        let mut child_path = path.clone();
        child_path.push(child.clone());
        load(krate, &child_file, child_path, modules);
    }
    modules.insert(
        (krate, path.clone()),
        Module {
            krate,
            path,
            file: file.to_path_buf(),
            children,
            tokens,
        },
    );
}

/// A use tree flattened into paths (`use a::{b, c::{d, e}}` gives `a::b`, `a::c::d`,
/// `a::c::e`), each with the name it brings into scope. `self` in a group names the prefix.
fn flatten_use(
    tokens: &[Token],
    i: &mut usize,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    let mut path = prefix;
    loop {
        match tokens.get(*i) {
            Some(Token::Ident(s)) => {
                if s == "self" && !path.is_empty() {
                    // `a::{self}` names `a`.
                } else {
                    path.push(s.clone());
                }
                *i += 1;
            }
            Some(Token::Sep) => *i += 1,
            Some(Token::Punct('{')) => {
                *i += 1;
                loop {
                    flatten_use(tokens, i, path.clone(), out);
                    match tokens.get(*i) {
                        Some(Token::Punct(',')) => {
                            *i += 1;
                            if tokens.get(*i) == Some(&Token::Punct('}')) {
                                *i += 1;
                                return;
                            }
                        }
                        Some(Token::Punct('}')) => {
                            *i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(Token::Punct('*')) => {
                *i += 1;
                out.push((path.clone(), "*".to_owned()));
                return;
            }
            _ => {
                // `as NAME` renames.
                let mut name = path.last().cloned().unwrap_or_default();
                if path.len() >= 3 && path[path.len() - 2] == "as" {
                    name = path.pop().unwrap();
                    path.pop();
                }
                out.push((path.clone(), name));
                return;
            }
        }
        if let Some(Token::Ident(s)) = tokens.get(*i) {
            if s == "as" {
                path.push("as".to_owned());
            }
        }
    }
}

/// A path found in a module: where it starts (`crate`, `super` counted from the file's
/// module, or a child) and its segments.
struct Found {
    /// The module the path is written in.
    at: Vec<String>,
    segments: Vec<String>,
    /// How many inline modules (`mod tests { }`) enclose it.
    inline_depth: usize,
    /// Whether it is a `use` path (relative paths of `use` start at the module).
    pub_use_name: Option<String>,
}

fn paths_of(module: &Module) -> Vec<Found> {
    let t = &module.tokens;
    let mut found = Vec::new();
    // Inline modules: the brace depths at which they open.
    let mut depth = 0usize;
    let mut inline: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match &t[i] {
            Token::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Token::Punct('}') => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth -= 1;
                i += 1;
            }
            Token::Ident(m)
                if m == "mod"
                    && matches!(t.get(i + 1), Some(Token::Ident(_)))
                    && t.get(i + 2) == Some(&Token::Punct('{')) =>
            {
                inline.push(depth + 1);
                i += 2;
            }
            Token::Ident(u) if u == "use" => {
                // `pub use` (any visibility) re-exports.
                let public = i > 0
                    && (t[i - 1] == Token::Ident("pub".to_owned())
                        || t[i - 1] == Token::Punct(')'));
                i += 1;
                let mut trees = Vec::new();
                flatten_use(t, &mut i, Vec::new(), &mut trees);
                for (segments, name) in trees {
                    found.push(Found {
                        at: module.path.clone(),
                        segments,
                        inline_depth: inline.len(),
                        pub_use_name: (public && inline.is_empty()).then_some(name),
                    });
                }
            }
            Token::Ident(first)
                if t.get(i + 1) == Some(&Token::Sep)
                    && (i == 0 || t[i - 1] != Token::Sep)
                    && (matches!(first.as_str(), "crate" | "super" | "self")
                        || module.children.contains(first)) =>
            {
                let mut segments = vec![first.clone()];
                let mut j = i + 1;
                while t.get(j) == Some(&Token::Sep) {
                    match t.get(j + 1) {
                        Some(Token::Ident(s)) => segments.push(s.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                found.push(Found {
                    at: module.path.clone(),
                    segments,
                    inline_depth: inline.len(),
                    pub_use_name: None,
                });
                i = j;
            }
            _ => i += 1,
        }
    }
    found
}

type Key = (&'static str, Vec<String>);

/// The module a path names, or defines the item it names; `None` for other crates.
fn resolve(
    krate: &'static str,
    at: &[String],
    segments: &[String],
    inline_depth: usize,
    modules: &BTreeMap<Key, Module>,
    reexports: &BTreeMap<(Key, String), (Vec<String>, usize)>,
    hops: usize,
) -> Option<Vec<String>> {
    assert!(hops < 32, "re-export loop at {at:?} {segments:?}");
    let mut current: Vec<String> = at.to_vec();
    let mut rest = segments;
    let mut supers = 0usize;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            current.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        _ => {}
    }
    while rest.first().map(String::as_str) == Some("super") {
        supers += 1;
        rest = &rest[1..];
    }
    // `super` inside `mod tests { }` first leaves the inline module.
    let up = supers.saturating_sub(inline_depth.min(supers));
    if up > 0 {
        current.truncate(current.len().checked_sub(up)?);
    } else if supers == 0
        && segments.first().map(String::as_str) != Some("crate")
        && segments.first().map(String::as_str) != Some("self")
        && inline_depth > 0
    {
        // A relative path inside an inline module names the inline module's own items.
        return None;
    }
    let relative = segments
        .first()
        .is_some_and(|s| !matches!(s.as_str(), "crate" | "super" | "self"));
    if relative
        && !modules[&(krate, current.clone())]
            .children
            .contains(&segments[0])
    {
        return None; // another crate, or a name in scope
    }
    for (n, seg) in rest.iter().enumerate() {
        let module = &modules[&(krate, current.clone())];
        if module.children.contains(seg) {
            current.push(seg.clone());
            continue;
        }
        if let Some((target, depth)) = reexports.get(&((krate, current.clone()), seg.clone())) {
            let mut path = target.clone();
            path.extend(rest[n + 1..].iter().cloned());
            return resolve(krate, &current, &path, *depth, modules, reexports, hops + 1);
        }
        break;
    }
    Some(current)
}

#[test]
fn no_two_modules_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    load("lib", &src.join("lib.rs"), Vec::new(), &mut modules);
    load("bin", &src.join("main.rs"), Vec::new(), &mut modules);
    assert!(modules.len() > 20, "found only {} modules", modules.len());

    let found: Vec<(&'static str, Found)> = modules
        .values()
        .flat_map(|m| paths_of(m).into_iter().map(move |f| (m.krate, f)))
        .collect();
    // Public re-exports: (module, name) -> the path it stands for, written in that module.
    let mut reexports = BTreeMap::new();
    for (krate, f) in &found {
        if let Some(name) = &f.pub_use_name {
            if name != "*" {
                // Relative `use` paths start at the module: written as `self::...`.
                let relative = !matches!(f.segments[0].as_str(), "crate" | "super" | "self");
                let mut path = f.segments.clone();
                if relative {
                    path.insert(0, "self".to_owned());
                }
                reexports.insert(((*krate, f.at.clone()), name.clone()), (path, 0usize));
            }
        }
    }
    // Edges, with the path that makes each.
    let mut edges: BTreeMap<(Key, Key), String> = BTreeMap::new();
    for (krate, f) in &found {
        let Some(target) = resolve(
            krate,
            &f.at,
            &f.segments,
            f.inline_depth,
            &modules,
            &reexports,
            0,
        ) else {
            continue;
        };
        if target != f.at {
            edges
                .entry(((krate, f.at.clone()), (krate, target)))
                .or_insert_with(|| f.segments.join("::"));
        }
    }
    let name = |k: &Key| {
        let m = &modules[k];
        format!(
            "{} ({})",
            m.file.strip_prefix(&src).unwrap().display(),
            k.1.join("::")
        )
    };
    // `LAYOUT_EDGES=1 cargo test --test layout -- --nocapture` prints the graph.
    if std::env::var_os("LAYOUT_EDGES").is_some() {
        for ((a, b), why) in &edges {
            println!("{:<28} -> {:<28} `{why}`", name(a), name(b));
        }
    }
    let mut cycles = Vec::new();
    for ((a, b), why) in &edges {
        if a < b {
            if let Some(back) = edges.get(&(b.clone(), a.clone())) {
                cycles.push(format!(
                    "{} uses `{why}` and {} uses `{back}`",
                    name(a),
                    name(b)
                ));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that import each other (move what both need a floor down):\n{}",
        cycles.join("\n")
    );
    let rings: Vec<String> = rings(&edges)
        .into_iter()
        .map(|ring| {
            let names: Vec<String> = ring.iter().map(name).collect();
            names.join(" -> ")
        })
        .collect();
    assert!(
        rings.is_empty(),
        "rings of modules that import each other through others (move what they share a floor \
         down):\n{}",
        rings.join("\n")
    );
}

/// The strongly connected components of more than one module (Tarjan's algorithm), each
/// sorted, in a fixed order.
fn rings(edges: &BTreeMap<(Key, Key), String>) -> Vec<Vec<Key>> {
    let mut next: BTreeMap<&Key, Vec<&Key>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        next.entry(a).or_default().push(b);
        next.entry(b).or_default();
    }
    struct State<'a> {
        index: BTreeMap<&'a Key, usize>,
        low: BTreeMap<&'a Key, usize>,
        stack: Vec<&'a Key>,
        found: Vec<Vec<Key>>,
    }
    fn visit<'a>(v: &'a Key, next: &BTreeMap<&'a Key, Vec<&'a Key>>, s: &mut State<'a>) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        for &w in &next[v] {
            if !s.index.contains_key(w) {
                visit(w, next, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let at = s.stack.iter().rposition(|k| *k == v).unwrap();
            let mut ring: Vec<Key> = s.stack.drain(at..).cloned().collect();
            if ring.len() > 1 {
                ring.sort();
                s.found.push(ring);
            }
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in next.keys() {
        if !state.index.contains_key(v) {
            visit(v, &next, &mut state);
        }
    }
    state.found.sort();
    state.found
}

#[test]
fn rings_are_found() {
    let key = |n: &str| ("lib", vec![n.to_owned()]);
    let mut edges = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")] {
        edges.insert((key(a), key(b)), String::new());
    }
    assert_eq!(rings(&edges), vec![vec![key("a"), key("b"), key("c")]]);
    edges.insert((key("e"), key("d")), String::new());
    assert_eq!(rings(&edges).len(), 2);
}
