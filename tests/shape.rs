//! The shape of the tree, checked on the sources themselves:
//!
//! - no module imports a module that imports it back (the module graph of
//!   every crate, from its `use` declarations and its `crate::`, `super::`,
//!   `self::` and `plaza_*::` paths, has no cycle);
//! - no non-test `.rs` file is over 500 lines.
//!
//! A module and its ancestors are one unit: a parent declares its children
//! (`mod child;`) and a child uses its parent's types (`use super::State`),
//! so edges between them are not imports. Test code (`tests/`, and
//! `#[cfg(test)]` modules) is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest non-test source file.
const MAX_LINES: usize = 500;

/// The crates checked: the directory of their sources, and their roots.
const CRATES: &[(&str, &str, &[&str])] = &[
    ("plaza", "src", &["main.rs"]),
    ("plaza_api", "manager/api/src", &["lib.rs"]),
    ("plaza_catalogue", "catalogue/src", &["lib.rs"]),
    ("plaza_client", "client/src", &["lib.rs"]),
    ("plaza_kiosk", "kiosk/src", &["lib.rs", "main.rs"]),
    ("plaza_manager", "manager/src", &["lib.rs", "main.rs"]),
];

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let tree = Tree::read();
    let mut cycles = Vec::new();
    for component in tree.strongly_connected() {
        if component.len() < 2 {
            continue;
        }
        let names: Vec<String> = component.iter().map(|node| tree.name(*node)).collect();
        let tree = &tree;
        let component = &component;
        let edges: Vec<String> = component
            .iter()
            .flat_map(|from| {
                tree.edges[*from]
                    .iter()
                    .filter(|to| component.contains(to))
                    .map(move |to| format!("{} -> {}", tree.name(*from), tree.name(*to)))
            })
            .collect();
        cycles.push(format!(
            "{}\n    {}",
            names.join(", "),
            edges.join("\n    ")
        ));
    }
    assert!(
        cycles.is_empty(),
        "modules that import each other:\n  {}",
        cycles.join("\n  ")
    );
}

#[test]
fn no_source_file_is_over_500_lines() {
    let tree = Tree::read();
    let long: Vec<String> = tree
        .modules
        .iter()
        .filter(|module| module.lines > MAX_LINES)
        .map(|module| format!("{} ({} lines)", module.file, module.lines))
        .collect();
    assert!(long.is_empty(), "split these by responsibility: {long:?}");
}

#[test]
fn the_checks_see_what_they_should() {
    let tree = Tree::read();
    let find = |name: &str| {
        tree.modules
            .iter()
            .position(|module| tree.name_of(module) == name)
            .unwrap_or_else(|| panic!("module {name} not found"))
    };
    let app = find("plaza_kiosk::app");
    let link = find("plaza_kiosk::link");
    let screen = find("plaza_kiosk::screen");
    let outbox = find("plaza_kiosk::outbox");
    // `app` uses `link` and `screen`; `link` is reached from `app::link`
    // and from the fleet simulator, across crates.
    assert!(tree.edges[app].contains(&link), "use crate::link::…");
    assert!(tree.edges[app].contains(&screen), "use crate::screen::…");
    assert!(tree.edges[find("plaza::simulate::kiosk")].contains(&link));
    // Between a module and its parent is no edge (`use super::…`).
    assert!(!tree.edges[find("plaza_kiosk::app::link")].contains(&app));
    // Test modules are left out: only `link`'s tests use the outbox.
    assert!(!tree.edges[link].contains(&outbox));
    assert!(
        tree.modules
            .iter()
            .all(|module| !module.file.contains("/tests/"))
    );
    // A cycle is seen.
    let mut looped = tree.clone();
    looped.edges[link].insert(app);
    assert!(
        looped
            .strongly_connected()
            .iter()
            .any(|component| component.contains(&app) && component.contains(&link))
    );
    // Comments and strings are not code.
    let code = strip("let a = \"crate::x\"; // crate::y\n/* crate::z */ let b = 'c';");
    assert!(!code.contains("crate::"), "{code}");
    assert_eq!(
        use_paths("pub use crate::a::{b, c::{self, d as e}, f::*};"),
        [
            vec!["crate", "a", "b"],
            vec!["crate", "a", "c", "self"],
            vec!["crate", "a", "c", "d"],
            vec!["crate", "a", "f", "*"],
        ]
    );
}

#[derive(Debug, Clone)]
struct Module {
    /// `crate name` and the path below its root (`["screen", "catalogue"]`).
    krate: &'static str,
    /// The root file this module is reached from (`lib.rs`, `main.rs`).
    root: &'static str,
    path: Vec<String>,
    file: String,
    lines: usize,
    code: String,
}

#[derive(Debug, Clone)]
struct Tree {
    modules: Vec<Module>,
    edges: Vec<BTreeSet<usize>>,
}

impl Tree {
    fn read() -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut modules = Vec::new();
        for (krate, dir, roots) in CRATES {
            for root in *roots {
                collect(
                    workspace,
                    krate,
                    root,
                    Path::new(dir).join(root),
                    Vec::new(),
                    &mut modules,
                );
            }
        }
        let index: BTreeMap<(&str, &str, Vec<String>), usize> = modules
            .iter()
            .enumerate()
            .map(|(at, module)| ((module.krate, module.root, module.path.clone()), at))
            .collect();
        let edges = modules
            .iter()
            .map(|module| {
                references(module)
                    .into_iter()
                    .filter_map(|(krate, root, path)| resolve(&index, krate, root, &path))
                    .filter(|target| {
                        let other = &modules[*target];
                        !same_line(module, other)
                    })
                    .collect()
            })
            .collect();
        Self { modules, edges }
    }

    fn name_of(&self, module: &Module) -> String {
        let mut name = module.krate.to_owned();
        if module.root == "main.rs" && module.krate != "plaza" {
            name.push_str("(bin)");
        }
        for segment in &module.path {
            name.push_str("::");
            name.push_str(segment);
        }
        name
    }

    fn name(&self, node: usize) -> String {
        self.name_of(&self.modules[node])
    }

    /// Tarjan's strongly connected components.
    fn strongly_connected(&self) -> Vec<Vec<usize>> {
        struct Walk<'a> {
            edges: &'a [BTreeSet<usize>],
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            on_stack: Vec<bool>,
            stack: Vec<usize>,
            next: usize,
            components: Vec<Vec<usize>>,
        }
        fn visit(walk: &mut Walk<'_>, node: usize) {
            walk.index[node] = Some(walk.next);
            walk.low[node] = walk.next;
            walk.next += 1;
            walk.stack.push(node);
            walk.on_stack[node] = true;
            for &to in walk.edges[node].iter() {
                match walk.index[to] {
                    None => {
                        visit(walk, to);
                        walk.low[node] = walk.low[node].min(walk.low[to]);
                    }
                    Some(index) if walk.on_stack[to] => {
                        walk.low[node] = walk.low[node].min(index);
                    }
                    Some(_) => {}
                }
            }
            if Some(walk.low[node]) == walk.index[node] {
                let mut component = Vec::new();
                while let Some(top) = walk.stack.pop() {
                    walk.on_stack[top] = false;
                    component.push(top);
                    if top == node {
                        break;
                    }
                }
                walk.components.push(component);
            }
        }
        let count = self.modules.len();
        let mut walk = Walk {
            edges: &self.edges,
            index: vec![None; count],
            low: vec![0; count],
            on_stack: vec![false; count],
            stack: Vec::new(),
            next: 0,
            components: Vec::new(),
        };
        for node in 0..count {
            if walk.index[node].is_none() {
                visit(&mut walk, node);
            }
        }
        walk.components
    }
}

/// Whether one module is the other's ancestor (or the same module).
fn same_line(a: &Module, b: &Module) -> bool {
    a.krate == b.krate
        && a.root == b.root
        && (a.path.starts_with(&b.path) || b.path.starts_with(&a.path))
}

/// Reads `file` as the module `path` of `krate`, and its children.
fn collect(
    workspace: &Path,
    krate: &'static str,
    root: &'static str,
    file: PathBuf,
    path: Vec<String>,
    modules: &mut Vec<Module>,
) {
    let text = std::fs::read_to_string(workspace.join(&file))
        .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
    let code = without_tests(&strip(&text));
    let directory = if path.is_empty() || file.ends_with("mod.rs") {
        file.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        file.with_extension("")
    };
    let children = child_modules(&code);
    modules.push(Module {
        krate,
        root,
        path: path.clone(),
        file: file.to_string_lossy().into_owned(),
        lines: text.lines().count(),
        code,
    });
    for child in children {
        let flat = directory.join(format!("{child}.rs"));
        let nested = directory.join(&child).join("mod.rs");
        let child_file = if workspace.join(&flat).exists() {
            flat
        } else {
            nested
        };
        let mut child_path = path.clone();
        child_path.push(child);
        collect(workspace, krate, root, child_file, child_path, modules);
    }
}

/// `mod name;` declarations (a module in another file).
fn child_modules(code: &str) -> Vec<String> {
    keyword_at(code, "mod")
        .filter_map(|at| {
            let rest = code[at + "mod".len()..].trim_start();
            let end = rest
                .find(|character: char| !(character.is_alphanumeric() || character == '_'))
                .unwrap_or(rest.len());
            let (name, after) = rest.split_at(end);
            (!name.is_empty() && after.trim_start().starts_with(';')).then(|| name.to_owned())
        })
        .collect()
}

/// Where `keyword` stands as a word of its own, followed by a space.
fn keyword_at<'a>(code: &'a str, keyword: &'a str) -> impl Iterator<Item = usize> + 'a {
    code.match_indices(keyword).filter_map(move |(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + keyword.len()..].chars().next();
        let starts = before
            .is_none_or(|character| !(character.is_alphanumeric() || "_:#".contains(character)));
        let ends = after.is_some_and(char::is_whitespace);
        (starts && ends).then_some(at)
    })
}

/// Every path a module names: `(crate, root, segments from that root)`.
fn references(module: &Module) -> Vec<(&'static str, &'static str, Vec<String>)> {
    let children = child_modules(&module.code);
    let mut paths = Vec::new();
    let mut rest = String::with_capacity(module.code.len());
    let mut copied = 0;
    for at in keyword_at(&module.code, "use") {
        if at < copied {
            continue;
        }
        let end = module.code[at..]
            .find(';')
            .map_or(module.code.len(), |end| at + end + 1);
        let statement = &module.code[at..end];
        // Only a path tree; the word "use" in a template's text is not one.
        let tree = statement.trim_start_matches("use").trim_end_matches(';');
        if !tree
            .chars()
            .all(|character| character.is_alphanumeric() || "_:{},* \n\t".contains(character))
        {
            continue;
        }
        rest.push_str(&module.code[copied..at]);
        paths.extend(use_paths(statement));
        copied = end;
    }
    rest.push_str(&module.code[copied..]);
    paths.extend(inline_paths(&rest));
    paths
        .into_iter()
        .filter_map(|segments| absolute(module, &children, &segments))
        .collect()
}

/// Where `segments` (as written in `module`) points, from a crate root.
fn absolute(
    module: &Module,
    children: &[String],
    segments: &[&str],
) -> Option<(&'static str, &'static str, Vec<String>)> {
    let (first, rest) = segments.split_first()?;
    let mut path = module.path.clone();
    let own = |path: Vec<String>, rest: &[&str]| {
        let mut path = path;
        path.extend(rest.iter().map(|segment| (*segment).to_owned()));
        Some((module.krate, module.root, path))
    };
    match *first {
        "crate" => own(Vec::new(), rest),
        "self" => own(path, rest),
        "super" => {
            let mut rest = rest;
            path.pop();
            while let Some(("super", more)) = rest.split_first().map(|(a, b)| (*a, b)) {
                path.pop();
                rest = more;
            }
            own(path, rest)
        }
        name if children.iter().any(|child| child == name) => own(path, segments),
        name => {
            let (krate, _, roots) = CRATES.iter().find(|(krate, _, _)| *krate == name)?;
            roots.contains(&"lib.rs").then(|| {
                (
                    *krate,
                    "lib.rs",
                    rest.iter().map(|segment| (*segment).to_owned()).collect(),
                )
            })
        }
    }
}

/// The deepest module a path reaches.
fn resolve(
    index: &BTreeMap<(&str, &str, Vec<String>), usize>,
    krate: &str,
    root: &str,
    path: &[String],
) -> Option<usize> {
    (0..=path.len())
        .rev()
        .find_map(|length| index.get(&(krate, root, path[..length].to_vec())).copied())
}

/// The paths of a `use` declaration, braces expanded.
fn use_paths(statement: &str) -> Vec<Vec<&str>> {
    let tree = statement
        .trim()
        .trim_end_matches(';')
        .split_once("use ")
        .map_or("", |(_, tree)| tree)
        .trim();
    let mut paths = Vec::new();
    expand(tree, Vec::new(), &mut paths);
    paths
}

fn expand<'a>(tree: &'a str, prefix: Vec<&'a str>, paths: &mut Vec<Vec<&'a str>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    let Some(open) = tree.find('{') else {
        let name = tree.split(" as ").next().unwrap_or(tree).trim();
        let mut path = prefix;
        path.extend(
            name.split("::")
                .map(str::trim)
                .filter(|part| !part.is_empty()),
        );
        paths.push(path);
        return;
    };
    let mut path = prefix;
    path.extend(
        tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|part| !part.is_empty()),
    );
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut depth = 0;
    let mut start = 0;
    for (at, character) in inner.char_indices() {
        match character {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&inner[start..at], path.clone(), paths);
                start = at + 1;
            }
            _ => {}
        }
    }
    expand(&inner[start..], path, paths);
}

/// `crate::a::b`, `super::x`, `self::y` and `plaza_kiosk::z` written in code.
fn inline_paths(code: &str) -> Vec<Vec<&str>> {
    let bytes = code.as_bytes();
    let word = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_';
    let mut paths = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !word(bytes[at]) || (at > 0 && (word(bytes[at - 1]) || bytes[at - 1] == b':')) {
            at += 1;
            continue;
        }
        let mut end = at;
        let mut segments = Vec::new();
        loop {
            let start = end;
            while end < bytes.len() && word(bytes[end]) {
                end += 1;
            }
            segments.push(&code[start..end]);
            if code[end..].starts_with("::") && bytes.get(end + 2).copied().is_some_and(word) {
                end += 2;
            } else {
                break;
            }
        }
        let first = segments[0];
        if segments.len() > 1
            && (matches!(first, "crate" | "super" | "self") || first.starts_with("plaza_"))
        {
            paths.push(segments);
        }
        at = end.max(at + 1);
    }
    paths
}

/// The code without comments, and with string and character literals
/// emptied.
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < chars.len() {
        let here = chars[at];
        let next = chars.get(at + 1).copied();
        if here == '/' && next == Some('/') {
            while at < chars.len() && chars[at] != '\n' {
                at += 1;
            }
        } else if here == '/' && next == Some('*') {
            let mut depth = 0;
            while at < chars.len() {
                if chars[at] == '/' && chars.get(at + 1) == Some(&'*') {
                    depth += 1;
                    at += 2;
                } else if chars[at] == '*' && chars.get(at + 1) == Some(&'/') {
                    depth -= 1;
                    at += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    at += 1;
                }
            }
            out.push(' ');
        } else if here == 'r'
            && (next == Some('"') || next == Some('#'))
            && !is_word_before(&chars, at)
        {
            let mut hashes = 0;
            let mut look = at + 1;
            while chars.get(look) == Some(&'#') {
                hashes += 1;
                look += 1;
            }
            if chars.get(look) != Some(&'"') {
                out.push(here);
                at += 1;
                continue;
            }
            at = look + 1;
            while at < chars.len() {
                if chars[at] == '"' && (1..=hashes).all(|n| chars.get(at + n) == Some(&'#')) {
                    at += 1 + hashes;
                    break;
                }
                at += 1;
            }
            out.push_str("\"\"");
        } else if here == '"' {
            at += 1;
            while at < chars.len() && chars[at] != '"' {
                at += if chars[at] == '\\' { 2 } else { 1 };
            }
            at += 1;
            out.push_str("\"\"");
        } else if here == '\'' {
            // A character literal ('x', '\n', '\u{..}'), or a lifetime ('a).
            let close = if next == Some('\\') {
                (at + 3..chars.len().min(at + 12)).find(|end| chars[*end] == '\'')
            } else {
                (chars.get(at + 2) == Some(&'\'')).then_some(at + 2)
            };
            match close {
                Some(end) => {
                    out.push_str("' '");
                    at = end + 1;
                }
                None => {
                    out.push(here);
                    at += 1;
                }
            }
        } else {
            out.push(here);
            at += 1;
        }
    }
    out
}

fn is_word_before(chars: &[char], at: usize) -> bool {
    at > 0 && (chars[at - 1].is_alphanumeric() || chars[at - 1] == '_')
}

/// The code without `#[cfg(test)]` items (test modules, test-only imports).
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(found) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..found]);
        let item = &rest[found + "#[cfg(test)]".len()..];
        // The item ends at its first `;` or at the `}` closing its first `{`.
        let mut depth = 0;
        let mut end = item.len();
        for (at, character) in item.char_indices() {
            match character {
                ';' if depth == 0 => {
                    end = at + 1;
                    break;
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}
