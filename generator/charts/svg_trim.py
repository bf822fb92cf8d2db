"""Trim the SVG vl-convert renders to the bytes its picture needs (pure: text in, text out).

A ten-year archive holds 60,000 chart SVGs, so their bytes are most of the site. Shown as an
image, a trimmed SVG draws the same pixels (tests rasterise both), and its alt text, not its
insides, is what a screen reader reads. In order:

- the attributes only a live Vega view uses (class, role, aria-*, pointer-events), empty
  paths, defaults (opacity 1, translate(0,0)) and groups with no attributes are dropped;
  clip paths are numbered 1, 2, ... (Vega's counter depends on what it drew before);
- path coordinates and positions are cut to two decimals (a hundredth of a pixel);
- a font family or size every text shares is said once, on the root;
- shared styles (`_share_styles`): a run of sibling elements with the same inherited
  attributes (stroke, fill, font, anchor) is wrapped in a group that says them once, and an
  attribute set many elements still repeat becomes a class of the SVG's own style sheet;
  a line's zero end points and a translate's zero y are left out (SVG's defaults).

About 55 % of the renderer's bytes are left by the first three steps, three quarters of
those by the last (measured on a demo day's 24 brief charts).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

_CLIP_ID: Final = re.compile(r'(url\(#|id=")clip(\d+)(\)|")')
_LIVE_ONLY: Final = re.compile(r' (?:class|role|aria-[a-z]+|pointer-events)="[^"]*"')
_EMPTY_PATHS: Final = re.compile(r'<path d="(?:M0,0h0v0h0Z)?"(?: display="none")?/>')
# Attributes that say what SVG assumes anyway (full opacity, no shift).
_DEFAULTS: Final = re.compile(r' (?:opacity="1"|transform="translate\(0,0\)")')
_PATH_DATA: Final = re.compile(r' d="([^"]*)"')
_POSITIONS: Final = re.compile(r' (transform|x|y|x1|x2|y1|y2|dx|dy)="([^"]*)"')
_FINE: Final = re.compile(r"(\d+\.\d\d)\d+")
_GROUP_TAG: Final = re.compile(r"<g(?: [^>]*)?>|</g>")
_TEXT: Final = re.compile(r"<text\b")
# Inherited font attributes that Vega writes on every text (and nowhere else).
_TEXT_FONTS: Final = ("font-family", "font-size")

# Tags (attribute values may hold ">") and the text between them; attributes as Vega writes
# them (double quotes). An SVG these don't read back byte for byte is left as it is.
_TOKEN: Final = re.compile(r'<(?:[^>"]|"[^"]*")*>|[^<]+')
_ATTRIBUTE: Final = re.compile(r' ([\w:-]+)="([^"]*)"')
# Presentation attributes a child inherits from its group (SVG 1.1, "Inherited: yes"), so
# saying them on a wrapping group or in a class draws the same. Opacity, transform and
# clip-path are not inherited and never move.
INHERITED: Final = frozenset((
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor",
))
# Elements whose children may be wrapped in a group (a clip path or a text may not hold one).
_CONTAINERS: Final = ("g", "svg")
_ZERO_ENDS: Final = frozenset(("x1", "y1", "x2", "y2"))
_ZERO_Y: Final = re.compile(r"translate\((-?[\d.]+),0\)")

Pairs = frozenset[tuple[str, str]]


def trim_svg(svg: str) -> str:
    """Return the renderer's SVG trimmed (see the module docstring), ending in a newline."""
    svg = _share_styles(_drop_and_round(svg))
    return svg if svg.endswith("\n") else svg + "\n"


def _drop_and_round(svg: str) -> str:
    """The first three steps: what only a live view uses and defaults dropped, numbers cut
    to two decimals, shared fonts said on the root."""
    svg = _EMPTY_PATHS.sub("", _LIVE_ONLY.sub("", _renumber_clips(svg)))
    svg = _PATH_DATA.sub(_coarse_path, _DEFAULTS.sub("", svg))
    return _shared_fonts(_unwrap_bare_groups(_POSITIONS.sub(_coarse_position, svg)))


def _coarse_path(match: re.Match[str]) -> str:
    """Cut a path's coordinates to two decimals (a hundredth of a pixel): the same picture."""
    return ' d="' + _FINE.sub(r"\1", match.group(1)) + '"'


def _coarse_position(match: re.Match[str]) -> str:
    """Cut the numbers of a position attribute (transform, x, y, ...) to two decimals."""
    return f' {match.group(1)}="' + _FINE.sub(r"\1", match.group(2)) + '"'


def _unwrap_bare_groups(svg: str) -> str:
    """Drop every <g> that has no attributes (and its </g>), keeping what it holds: a group
    without attributes changes nothing in the picture."""
    out: list[str] = []
    bare: list[bool] = []
    position = 0
    for match in _GROUP_TAG.finditer(svg):
        tag = match.group(0)
        out.append(svg[position:match.start()])
        position = match.end()
        if tag == "</g>":
            if not bare.pop():
                out.append(tag)
        elif tag.endswith("/>"):
            out.append(tag)
        else:
            bare.append(tag == "<g>")
            if not bare[-1]:
                out.append(tag)
    out.append(svg[position:])
    return "".join(out)


def _shared_fonts(svg: str) -> str:
    """Say a font attribute once, on the root, when every text has it with one value and
    no other element has it (texts inherit it from the root: the same picture)."""
    texts = len(_TEXT.findall(svg))
    for name in _TEXT_FONTS:
        values = re.findall(f' {name}="([^"]*)"', svg)
        on_texts = re.findall(f'<text\\b[^>]* {name}="', svg)
        if texts and len(values) == texts == len(on_texts) and len(set(values)) == 1:
            svg = svg.replace(f' {name}="{values[0]}"', "")
            svg = svg.replace("<svg ", f'<svg {name}="{values[0]}" ', 1)
    return svg


def _renumber_clips(svg: str) -> str:
    """Number the SVG's clip paths 1, 2, ... in order of appearance.

    Vega names them from a counter that lives as long as the renderer, so the same spec
    would otherwise give different bytes depending on what was rendered before it.
    """
    numbers: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        new = numbers.setdefault(match.group(2), str(len(numbers) + 1))
        return f"{match.group(1)}clip{new}{match.group(3)}"

    return _CLIP_ID.sub(renumber, svg)


class _Element:
    """One element of the SVG tree: name, attributes in order, children (elements or the
    text between tags, kept verbatim), and whether it was written self-closing."""

    __slots__ = ("attributes", "children", "closed", "name")

    def __init__(self, name: str, attributes: list[tuple[str, str]], closed: bool) -> None:
        self.name = name
        self.attributes = attributes
        self.children: list[_Element | str] = []
        self.closed = closed

    def inherited(self) -> Pairs:
        return frozenset(pair for pair in self.attributes if pair[0] in INHERITED)

    def drop(self, pairs: Pairs) -> None:
        self.attributes = [pair for pair in self.attributes if pair not in pairs]


def _parse(svg: str) -> _Element | None:
    """Return the SVG as a tree under a nameless root; None when it is not the plain tag
    soup Vega writes (comments, unbalanced tags, ...)."""
    root = _Element("", [], False)
    stack = [root]
    for token in _TOKEN.findall(svg):
        if token.startswith("</"):
            if len(stack) < 2 or token[2:-1] != stack[-1].name:
                return None
            stack.pop()
        elif token.startswith("<"):
            if token.startswith(("<!", "<?")):
                return None
            closed = token.endswith("/>")
            body = token[1:-2] if closed else token[1:-1]
            name = body.split(" ", 1)[0]
            element = _Element(name, _ATTRIBUTE.findall(body[len(name):]), closed)
            stack[-1].children.append(element)
            if not closed:
                stack.append(element)
        else:
            stack[-1].children.append(token)
    return root if len(stack) == 1 else None


def _write(node: _Element | str, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(node)
        return
    if node.name:
        attributes = "".join(f' {key}="{value}"' for key, value in node.attributes)
        out.append(f"<{node.name}{attributes}{'/>' if node.closed else '>'}")
    for child in node.children:
        _write(child, out)
    if node.name and not node.closed:
        out.append(f"</{node.name}>")


def _serialise(root: _Element) -> str:
    out: list[str] = []
    _write(root, out)
    return "".join(out)


def _size(pairs: Pairs) -> int:
    """Bytes the pairs take as attributes (` name="value"` each)."""
    return sum(len(key) + len(value) + 4 for key, value in pairs)


def _inherited(node: _Element | str) -> Pairs:
    return node.inherited() if isinstance(node, _Element) else frozenset()


def _wrap_runs(element: _Element) -> None:
    """In every group (depth first), wrap each run of siblings that share inherited
    attributes in a group saying them once, where that saves bytes."""
    for child in element.children:
        if isinstance(child, _Element) and child.name in _CONTAINERS:
            _wrap_runs(child)
    if element.name not in _CONTAINERS:
        return
    children, start = element.children, 0
    out: list[_Element | str] = []
    while start < len(children):
        common = (_inherited(children[start]) & _inherited(children[start + 1])
                  if start + 1 < len(children) else frozenset())
        end = start + 1
        while common and end < len(children) and common <= _inherited(children[end]):
            end += 1
        if common and (end - start - 1) * _size(common) > len("<g></g>"):
            group = _Element("g", sorted(common), False)
            for member in children[start:end]:
                assert isinstance(member, _Element)
                member.drop(common)
                group.children.append(member)
            out.append(group)
            start = end
        else:
            out.append(children[start])
            start += 1
    element.children = out


def _elements(node: _Element) -> list[_Element]:
    found = [node]
    for child in node.children:
        if isinstance(child, _Element):
            found.extend(_elements(child))
    return found


def _classes(elements: list[_Element]) -> str:
    """Give each inherited-attribute set that many of `elements` repeat a class (c0, c1, ...
    by how often it occurs, then first appearance) where that saves bytes; return the
    rules."""
    counts = Counter(e.inherited() for e in elements)
    names: dict[Pairs, str] = {}
    for pairs, count in counts.most_common():
        name = f"c{len(names)}"
        rule = len(f".{name}{{}}") + sum(len(key) + len(value) + 2 for key, value in pairs)
        if pairs and count * (_size(pairs) - len(f' class="{name}"')) > rule:
            names[pairs] = name
    for element in elements:
        pairs = element.inherited()
        if pairs in names:
            element.drop(pairs)
            element.attributes.append(("class", names[pairs]))
    return "".join(f".{name}{{" + ";".join(f"{k}:{v}" for k, v in sorted(pairs)) + "}"
                   for pairs, name in names.items())


def _zero_defaults(elements: list[_Element]) -> None:
    """Leave out a line's zero end points and a translate's zero y (SVG's defaults)."""
    for element in elements:
        if element.name == "line":
            element.attributes = [(key, value) for key, value in element.attributes
                                  if not (key in _ZERO_ENDS and value == "0")]
        element.attributes = [(key, _ZERO_Y.sub(r"translate(\1)", value))
                              if key == "transform" else (key, value)
                              for key, value in element.attributes]


def _share_styles(svg: str) -> str:
    """Wrap runs of siblings with shared inherited attributes in a group, give repeated
    attribute sets a class of an inner style sheet, leave out zero defaults (the same
    picture, a quarter fewer bytes); an SVG not read back byte for byte, or with classes
    of its own, is left alone."""
    root = _parse(svg)
    if root is None or _serialise(root) != svg or ' class="' in svg:
        return svg
    tops = [child for child in root.children if isinstance(child, _Element)]
    if len(tops) != 1 or tops[0].name != "svg":
        return svg
    _wrap_runs(tops[0])
    elements = _elements(tops[0])[1:]  # the root's attributes stay as they are
    rules = _classes(elements)
    _zero_defaults(elements)
    if rules:
        tops[0].children.insert(0, f"<style>{rules}</style>")
    return _serialise(root)
