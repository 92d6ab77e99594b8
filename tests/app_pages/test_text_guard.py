"""A page cannot forget to escape: every text an element renders as Markdown is provably ours.

Streamlit renders Markdown in most of its elements (see app_pages/text.py). This test reads
every page's source (app_pages/*.py and dashboard.py) and fails when such an element is
given text that is not provably written in our code: anything from a file, a person or
a variable must pass through ``safe()`` or ``md()`` of app_pages.text first.

Provably ours: string and number literals; ``safe(...)``; ``md("literal template", ...)``;
``len(...)`` and ``int(...)``; f-strings, ``+``, ``x if c else y``, ``a or b`` and
``"sep".join(...)`` built only of those; numbers formatted with a numeric spec (``{x:.0%}``);
UPPER_CASE constants (written in code) and items of them; and local variables only ever
assigned such values. Widgets whose options render Markdown (radio, pills,
segmented_control) need a ``format_func`` of that kind, or options that are.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELPER_MODULE = "app_pages.text"
HELPER = "app_pages/text.py"
PAGES = sorted(p for p in (ROOT / "app_pages").glob("*.py") if p.name != "text.py")
SOURCES = [*PAGES, ROOT / "dashboard.py"]

_BODY = ((0,), ("body", "help"))
_LABEL = ((0,), ("label", "help"))
#: Streamlit 1.67 calls that render text as Markdown -> (positions, keywords) carrying it.
#: Checked in the browser: selectbox and multiselect options, st.text, st.code and
#: st.dataframe cells show text as it is; everything here renders Markdown.
MARKDOWN_ARGUMENTS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    **dict.fromkeys(("markdown", "caption", "title", "header", "subheader"), _BODY),
    **dict.fromkeys(("success", "error", "warning", "info", "toast"), ((0,), ("body",))),
    "badge": _LABEL,
    "metric": ((0, 1, 2), ("label", "value", "delta", "help")),
    "expander": ((0,), ("label",)),
    "status": ((0,), ("label",)),
    "popover": _LABEL,
    "tabs": ((0,), ("tabs",)),
    "dialog": ((0,), ("title",)),
    "page_link": ((), ("label", "help")),
    **dict.fromkeys(
        (
            "button", "download_button", "link_button", "form_submit_button", "checkbox",
            "toggle", "text_input", "text_area", "number_input", "date_input", "time_input",
            "datetime_input", "file_uploader", "color_picker", "slider", "select_slider",
            "selectbox", "multiselect", "camera_input", "audio_input", "radio", "pills",
            "segmented_control",
        ),
        _LABEL,
    ),
}  # fmt: skip
#: Widgets whose options (or format_func's results) render as Markdown (each checked in
#: Chromium: an image in an option was fetched).
MARKDOWN_OPTIONS = {"radio", "pills", "segmented_control", "select_slider"}
#: Where text shows as it is: escaped text would show its backslashes there.
PLAIN_ARGUMENTS = {
    "code": ((0,), ("body",)),
    "text": ((0,), ("body",)),
    "dataframe": ((0,), ("data",)),
    "html": ((0,), ("body",)),
}
_NUMERIC_SPEC = re.compile(r"^[^{}]*[bcdeEfFgGnoxX%]$")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    call: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: st.{self.call}: {self.why}"


class _Checker:
    def __init__(self, tree: ast.Module, path: str):
        self.path = path
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.tree = tree
        self.helpers: dict[str, str] = {}  # local name -> helper name in app_pages.text
        self.helper_modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == HELPER_MODULE:
                for alias in node.names:
                    self.helpers[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom) and node.module == "app_pages":
                for alias in node.names:
                    if alias.name == "text":
                        self.helper_modules.add(alias.asname or alias.name)
        self.findings: list[Finding] = []

    # -- helpers -----------------------------------------------------------------------
    def helper(self, func: ast.expr) -> str | None:
        """'safe', 'md' or 'labels' when ``func`` names a helper of app_pages.text."""
        if isinstance(func, ast.Name):
            return self.helpers.get(func.id)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in self.helper_modules
        ):
            return func.attr
        return None

    def scopes(self, node: ast.AST) -> list[ast.AST]:
        """Enclosing functions, innermost first, then the module."""
        chain = []
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                chain.append(node)
        return [*chain, self.tree]

    @staticmethod
    def _own_nodes(scope: ast.AST):
        """Nodes of ``scope`` outside the functions nested in it."""
        todo = list(ast.iter_child_nodes(scope))
        while todo:
            node = todo.pop()
            yield node
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                todo.extend(ast.iter_child_nodes(node))

    def bindings(self, name: str, at: ast.AST) -> list[ast.expr] | None:
        """Every value assigned to ``name`` in the nearest scope that binds it; None when it
        is bound some other way (a parameter, a loop or ``with`` target, unpacking, an
        import) or not at all."""
        for scope in self.scopes(at):
            if not isinstance(scope, ast.Module):
                args = scope.args
                every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
                every += [a for a in (args.vararg, args.kwarg) if a]
                if any(a.arg == name for a in every):
                    return None
            values, other = [], False
            for node in self._own_nodes(scope):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name) and target.id == name:
                            values.append(node.value)
                        elif any(
                            isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)
                        ):
                            other = True
                elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
                    if isinstance(node.target, ast.Name) and node.target.id == name:
                        if node.value is None:
                            continue
                        values.append(node.value)
                elif isinstance(node, (ast.For, ast.comprehension, ast.withitem)):
                    target = node.optional_vars if isinstance(node, ast.withitem) else node.target
                    if target is not None and any(
                        isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)
                    ):
                        other = True
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    if any((a.asname or a.name).split(".")[0] == name for a in node.names):
                        other = True
                elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                    other = True
            if other:
                return None
            if values:
                return values
        return None

    # -- what is ours --------------------------------------------------------------------
    def trusted(self, node: ast.expr | None, seen: frozenset[str] = frozenset()) -> bool:
        """Whether ``node`` is text written in our code (see the module docstring)."""
        if node is None:
            return True
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, int, float, bool, type(None)))
        if isinstance(node, ast.JoinedStr):
            return all(self.trusted(part, seen) for part in node.values)
        if isinstance(node, ast.FormattedValue):
            spec = node.format_spec
            numeric = (
                isinstance(spec, ast.JoinedStr)
                and all(isinstance(v, ast.Constant) for v in spec.values)
                and bool(_NUMERIC_SPEC.match("".join(v.value for v in spec.values)))
            )
            return numeric or (self.trusted(node.value, seen) and node.conversion in (-1, 115))
        if isinstance(node, ast.Call):
            name = self.helper(node.func)
            if name == "safe":
                return True
            if name == "md":
                return bool(node.args) and isinstance(node.args[0], ast.Constant)
            if isinstance(node.func, ast.Name) and node.func.id in {"len", "int"}:
                return True
            if isinstance(node.func, ast.Attribute) and node.func.attr == "join":
                return (
                    self.trusted(node.func.value, seen)
                    and len(node.args) == 1
                    and not node.keywords
                    and self.trusted_items(node.args[0], seen)
                )
            return False
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.trusted(node.left, seen) and self.trusted(node.right, seen)
        if isinstance(node, ast.IfExp):
            return self.trusted(node.body, seen) and self.trusted(node.orelse, seen)
        if isinstance(node, ast.BoolOp):
            return all(self.trusted(v, seen) for v in node.values)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return all(self.trusted(e, seen) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(self.trusted(v, seen) for v in node.values)
        if isinstance(node, ast.Subscript):  # an item of one of our constants
            return self.trusted(node.value, seen)
        if isinstance(node, ast.Attribute):
            return node.attr.isupper()
        if isinstance(node, ast.Name):
            if node.id.isupper():
                return True
            if node.id in seen:
                return False
            values = self.bindings(node.id, node)
            return values is not None and all(self.trusted(v, seen | {node.id}) for v in values)
        return False

    def trusted_items(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> bool:
        """Whether every item of an iterable expression is ours."""
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            return self.trusted(node.elt, seen)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"list", "tuple", "sorted"}
            and len(node.args) == 1
        ):
            return self.trusted_items(node.args[0], seen) or self.trusted(node.args[0], seen)
        return self.trusted(node, seen)

    def trusted_formatter(self, func: ast.expr, options: ast.expr | None) -> bool:
        """Whether a ``format_func`` only ever returns text of ours."""
        if isinstance(func, ast.Lambda):
            return self.trusted(func.body)
        if isinstance(func, ast.Call) and self.helper(func.func) == "labels":
            return True
        if isinstance(func, ast.Attribute) and func.attr in {"__getitem__", "get"}:
            return self.trusted(func.value)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "str"
        ):  # str.capitalize and the like change our options' case, nothing more
            return options is not None and self.trusted_items(options)
        return False

    # -- the check -----------------------------------------------------------------------
    def argument(self, call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
        if position is not None and position < len(call.args):
            return call.args[position]
        return next((k.value for k in call.keywords if k.arg == keyword), None)

    def flag(self, call: ast.Call, why: str) -> None:
        name = call.func.attr if isinstance(call.func, ast.Attribute) else "?"
        self.findings.append(Finding(self.path, call.lineno, name, why))

    def check(self) -> list[Finding]:
        for call in ast.walk(self.tree):
            if not isinstance(call, ast.Call):
                continue
            for keyword in call.keywords:
                if keyword.arg == "unsafe_allow_html" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    self.flag(call, "unsafe_allow_html: Markdown with HTML is never allowed")
            if not isinstance(call.func, ast.Attribute):
                continue
            method = call.func.attr
            if method in MARKDOWN_ARGUMENTS:
                self.check_markdown(call, method)
            if method in PLAIN_ARGUMENTS or method in {"selectbox", "multiselect"}:
                self.check_plain(call, method)
        return self.findings

    def check_markdown(self, call: ast.Call, method: str) -> None:
        positions, keywords = MARKDOWN_ARGUMENTS[method]
        for n, keyword in enumerate(keywords):
            value = self.argument(call, positions[n] if n < len(positions) else None, keyword)
            if value is None:
                continue
            ok = self.trusted_items(value) if method == "tabs" else self.trusted(value)
            if not ok:
                self.flag(call, f"{keyword}={ast.unparse(value)} is not safe()/md() or literal")
        if method in MARKDOWN_OPTIONS:
            options = self.argument(call, 1, "options")
            formatter = self.argument(call, None, "format_func")
            if formatter is not None:
                if not self.trusted_formatter(formatter, options):
                    self.flag(
                        call,
                        f"format_func={ast.unparse(formatter)} renders Markdown: use labels() "
                        "of app_pages.text or a lambda returning safe()/md()",
                    )
            elif options is not None and not self.trusted_items(options):
                self.flag(call, f"options={ast.unparse(options)} render Markdown: escape them")
        if method == "radio":
            captions = self.argument(call, None, "captions")
            if captions is not None and not self.trusted_items(captions):
                self.flag(call, f"captions={ast.unparse(captions)} is not safe()/md()")

    def check_plain(self, call: ast.Call, method: str) -> None:
        """Escaped text where text shows as it is would show its backslashes."""
        if method in {"selectbox", "multiselect"}:
            where = [self.argument(call, 1, "options"), self.argument(call, None, "format_func")]
        elif method == "html":
            body = self.argument(call, 0, "body")
            if body is not None and not self.html_is_ours(body):
                self.flag(call, f"{ast.unparse(body)}: st.html takes our CSS or highlight()")
            return
        else:
            positions, keywords = PLAIN_ARGUMENTS[method]
            where = [self.argument(call, positions[0], keywords[0])]
        for value in where:
            for node in ast.walk(value) if value is not None else ():
                if isinstance(node, ast.Call) and self.helper(node.func) in {
                    "safe",
                    "md",
                    "labels",
                }:
                    self.flag(call, "shows text as it is: safe()/md() would show backslashes")

    def html_is_ours(self, node: ast.expr) -> bool:
        """st.html gets our static CSS, or HTML built by analysis.explain.highlight (which
        escapes every character of the post) in a literal frame."""
        if isinstance(node, ast.JoinedStr):
            return all(
                isinstance(part, ast.Constant) or self.highlighted(part.value)
                for part in node.values
            )
        return isinstance(node, (ast.Constant, ast.Name)) and self.trusted(node)

    def highlighted(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call):
            return isinstance(node.func, ast.Name) and node.func.id == "highlight"
        if isinstance(node, ast.Name):
            values = self.bindings(node.id, node)
            return values is not None and all(
                isinstance(v, ast.Call) and self.highlighted(v) for v in values
            )
        return False


def check_source(source: str, path: str = "<page>") -> list[Finding]:
    return _Checker(ast.parse(source), path).check()


def test_the_pages_exist_and_use_the_helper():
    names = {p.name for p in PAGES}
    assert {"overview.py", "explore.py", "themes.py", "whatif.py", "tagging_quality.py"} <= names
    assert {"review.py", "view.py", "sidebar.py"} <= names
    # Every module that shows anything: sources.py and review_access.py only read files
    # and settings, style.py draws our own static CSS.
    for path in PAGES:
        if path.name == "style.py":
            continue
        renders = re.search(r"\bst\.(?!cache_|connection\()\w+\(", path.read_text())
        assert not renders or HELPER_MODULE in path.read_text(), f"{path.name} lacks {HELPER}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_markdown_element_gets_escaped_or_literal_text(path):
    findings = check_source(path.read_text(), str(path.relative_to(ROOT)))
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_pages_escape_only_through_the_helper(path):
    """One escaping path: pages call app_pages.text, never analysis.formatting.plain or
    html.escape of their own."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "analysis.formatting":
            assert "plain" not in {a.name for a in node.names}, f"{path.name}: use safe()"
        if isinstance(node, ast.Import):
            assert "html" not in {a.name for a in node.names}, f"{path.name}: use safe()"


# The guard itself: it must catch what the pages did before, and pass what they do now.
CAUGHT = [
    'st.caption(f"{corpus.name} · tagged with codebook {codebook.version}")',
    'st.success(f"Tagging with {upload.name} (version {codebook.version}).")',
    "st.error(str(error))",
    'st.error(f"{error}. Using the bundled codebook instead.")',
    "st.subheader(theme.label, anchor=False)",
    "st.tabs([t.label for t in chosen])",
    "cols[0].metric(theme.label, 3)",
    "cols[0].metric('Posts', count(n))",
    "st.metric('x', 1, help=post['title'])",
    "with st.expander(finding.message):\n    pass",
    "st.toast(viewstate.notice(notes))",
    'st.markdown(f"**{reason.label}**: given")',
    "st.markdown(md(template, x))",
    "def f(what):\n    st.info(f'No posts to show {what}.')",
    "for s in sections:\n    c.caption(s)",
    "x = post['title']\nst.caption(x)",
    "x = 'ours'\nx = post['title']\nst.caption(x)",
    "a, b = 'x', post['title']\nst.caption(b)",
    "st.caption(f'{title!r}')",
    "st.button(action_label(d))",
    "st.segmented_control('T', ids, format_func=labels.__getitem__)",
    "st.pills('T', [t.label for t in themes])",
    "st.radio('T', ids, captions=[t.definition for t in themes])",
    "st.markdown(post['text'], unsafe_allow_html=True)",
    "st.html(f'<p>{post[\"summary\"]}</p>')",
    "s = post['summary']\nst.html(f'<p>{s}</p>')",
    "st.selectbox('Theme', ids, format_func=lambda i: safe(labels[i]))",
    "st.code(safe(terms))",
    "st.caption(plain(x).upper())",
    "st.caption(' · '.join(details))",
]
PASSED = [
    'st.caption("Literal text with **Markdown** of ours.")',
    'st.caption(md("{} · tagged with codebook {}", corpus.name, codebook.version))',
    "st.error(safe(error))",
    "st.tabs([safe(t.label) for t in chosen])",
    "cols[0].metric(safe(theme.label), safe(count(n)), f'{share:.0%} of posts')",
    "st.caption(f'{len(posts)} of {int(total)} posts')",
    "st.caption(safe(note) + ' Click a bar.')",
    "mark = ':material/check:' if ok else ':material/remove:'\nst.markdown(mark + md(' {}', x))",
    "note = f' · {len(d)} decisions' if r else ''\nst.caption('Tags' + note)",
    "st.markdown('\\n'.join('- ' + safe(line) for line in lines) or 'Nothing.')",
    "st.segmented_control('T', list(TAG_MODES), format_func=TAG_MODES.__getitem__)",
    "st.segmented_control('T', GRANULARITIES, format_func=str.capitalize)",
    "st.segmented_control('T', M, format_func={'a': 'A', 'b': 'B'}.get)",
    "st.pills('T', ids, format_func=labels(codebook.labels))",
    "st.segmented_control('T', list(S), format_func=lambda k: S[k][0])",
    "st.multiselect('Themes', ids, format_func=codebook.labels.__getitem__)",
    "st.selectbox('Post', ids, format_func=titles.__getitem__)",
    "st.dataframe(table)",
    "st.html(PRESENTATION_CSS)",
    "s = highlight(post['summary'], m, 'summary', cb)\nst.html(f'<p>{s}</p>')",
    "st.html(f\"<p>{highlight(post['summary'], m, 'summary', cb)}</p>\")",
    "st.badge(md('{}{}', view.mode_label, note))",
    "st.caption(text.safe(x))",
]


@pytest.mark.parametrize("source", CAUGHT)
def test_the_guard_catches_unescaped_text(source):
    source = "from app_pages.text import md, safe, labels\nfrom app_pages import text\n" + source
    assert check_source(source), source


@pytest.mark.parametrize("source", PASSED)
def test_the_guard_passes_escaped_and_literal_text(source):
    source = "from app_pages.text import md, safe, labels\nfrom app_pages import text\n" + source
    assert check_source(source) == [], source
