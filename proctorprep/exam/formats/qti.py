"""Import of IMS QTI 2.1 (and 2.2) items: a content package (a zip with imsmanifest.xml), a manifest in a folder, or
one loose assessmentItem file.

Imported interactions: `choiceInteraction` (single or multiple response, by the declaration's cardinality),
`textEntryInteraction` (a string response becomes a short answer, a float or integer one a numeric item),
`orderInteraction` (a build list), `matchInteraction` (two match sets, each item of one side paired once: a
matching item), `inlineChoiceInteraction`s (drop-downs in the text). An item with no interaction is an information
item. Essay-like interactions (`extendedTextInteraction`, upload, drawing) and the graphic and other interactions
proctorprep cannot score are skipped with one line each, naming the file and line; the rest of the package imports.
The key is the declaration's `correctResponse`, or, without one, the `mapping` entries worth the most.

The manifest's item resources give the files (in order); if the package holds an assessmentTest, its order is used
and each assessmentSection's title becomes the skill area of its items. Every href must stay inside the package
(exam/assets.safe_relative: no '..', no absolute path, no backslash); the zip itself is opened as a bank's files
are (exam/assets.AssetStore: entry count, unpacked size and symbolic links checked from its directory, each read
held to its limit, nothing extracted). Pictures (`<img>` in the item body or in a choice) become the question's
or the option's picture when they come from a zip package, which then travels with the bank as its files; from a
loose file they are named in the text ("[picture: alt]"). XML is read by exam/formats/xml_tree (defusedxml).
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.formats.common import DEFAULT_SKILL, Collector, Imported, finish, slug
from proctorprep.exam.formats.limits import MAX_BANK_BYTES
from proctorprep.exam.formats.xml_tree import Node, parse_xml

DIALECT = "IMS QTI"
MANIFEST = "imsmanifest.xml"
MAX_PACKAGE_BYTES = 32 * 1024 * 1024          # the zip file itself (its unpacked size is held by AssetStore)
ITEM_TYPES = ("imsqti_item_xmlv2p1", "imsqti_item_xmlv2p2", "imsqti_item_xmlv2p0")
TEST_TYPES = ("imsqti_test_xmlv2p1", "imsqti_test_xmlv2p2", "imsqti_assessment_xmlv2p1")
SNIFF_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(assessmentItem|manifest|assessmentTest)[\s>/]")

BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote",
          "pre", "dl", "dt", "dd", "hr"}
ESSAY = {"extendedTextInteraction": "an extended text (essay) response",
         "uploadInteraction": "a file upload", "drawingInteraction": "a drawing"}
HANDLED = {"choiceInteraction", "textEntryInteraction", "orderInteraction", "matchInteraction",
           "inlineChoiceInteraction"}
_ID_CLEAN = re.compile(r"[^A-Za-z0-9_-]+")
_BREAK = "\x00"          # a line break from a block element, kept while other white space collapses


def looks_like_qti(raw: bytes) -> bool:
    """An .xml file is QTI (not Moodle XML) when its first element is an assessmentItem, test or manifest."""
    m = SNIFF_RE.search(raw[:4096])
    return m is not None and b"<quiz" not in raw[: m.start()]


@dataclass
class _Source:
    """Where the item files come from: a zip package (an AssetStore), or files on disk next to each other."""

    label: str
    store: Any = None                 # exam.assets.AssetStore of a zip package
    folder: Path | None = None
    data: bytes | None = None         # one loose item already read (its label is the file)

    def name(self, href: str) -> str:
        """How messages name the file `href` of this source."""
        if self.data is not None:
            return self.label
        return f"{self.label}/{href}" if self.store is not None else str((self.folder or Path(".")) / href)

    def read(self, href: str) -> bytes:
        from proctorprep.exam.assets import AssetError

        if self.data is not None:
            return self.data
        if self.store is not None:
            try:
                return self.store.read(href, MAX_BANK_BYTES)
            except AssetError as exc:
                raise _Missing(str(exc)) from None
        assert self.folder is not None
        from proctorprep.exam.assets import AssetStore

        try:     # the same checks as a bank's folder: no link on the way, no path out of it, held to the size
            return AssetStore(str(self.folder), _folder=self.folder.resolve()).read(href, MAX_BANK_BYTES)
        except AssetError as exc:
            raise _Missing(str(exc)) from None


class _Missing(Exception):
    pass


@dataclass
class _Reader:
    source: _Source
    c: Collector
    images: bool                                   # pictures can travel with the bank (a zip package)
    item_files: dict[str, str] = field(default_factory=dict)    # question id -> its file label, for problems
    n: int = 0

    # ---- the package

    def package(self, manifest_href: str) -> None:
        label = self.source.name(manifest_href)
        try:
            root = parse_xml(self.source.read(manifest_href), label, DIALECT)
        except _Missing as exc:
            self.c.problems.append(Problem(self.source.label, f"has no {MANIFEST} ({exc})"))
            return
        manifest = root.children[0] if root.children else None
        if manifest is None or manifest.tag != "manifest":
            self.c.problems.append(Problem(label, f"is not an IMS content package manifest: the top element is "
                                                  f"<{manifest.tag if manifest else 'nothing'}>, not <manifest>",
                                           line=manifest.line if manifest else None))
            return
        base = posixpath.dirname(manifest_href)
        items: list[tuple[str, str]] = []          # (resource identifier, href inside the package)
        tests: list[str] = []
        for res in (r for rs in manifest.all("resources") for r in rs.all("resource")):
            rtype = res.attrs.get("type", "")
            href = res.attrs.get("href") or next((f.attrs.get("href", "") for f in res.all("file")), "")
            rid = res.attrs.get("identifier", href)
            if rtype.startswith("imsqti_xmlv1") or rtype == "imsqti_item_xmlv1p2":
                self.c.skip(res.line, f"skipped: resource {rid!r} is QTI 1.x; export the items as QTI 2.1")
                continue
            if rtype not in ITEM_TYPES + TEST_TYPES:
                continue             # stylesheets, pictures, metadata: files the items use, not items
            path = self._inside(base, href, label, res.line, f"resource {rid!r}")
            if path is None:
                continue
            if rtype in TEST_TYPES:
                tests.append(path)
            else:
                items.append((rid, path))
        if not items and not tests and not self.c.problems:
            self.c.problems.append(Problem(label, "lists no QTI 2.x item resources (type imsqti_item_xmlv2p1)",
                                           line=manifest.line))
            return
        skills: dict[str, str] = {}
        order: list[str] = []
        for test in tests:
            self._test(test, skills, order)
        listed = order + [p for _rid, p in items if p not in order]
        for path in dict.fromkeys(listed):
            self.item_file(path, skills.get(path, DEFAULT_SKILL))

    def _inside(self, base: str, href: str, label: str, line: int, what: str) -> str | None:
        from proctorprep.exam.assets import AssetError

        if not href:
            self.c.problems.append(Problem(label, f"{what} has no href", line=line))
            return None
        try:
            return _within(base, href)
        except AssetError as exc:
            self.c.problems.append(Problem(label, f"{what}: {exc}", line=line))
            return None

    def _test(self, href: str, skills: dict[str, str], order: list[str]) -> None:
        label = self.source.name(href)
        try:
            root = parse_xml(self.source.read(href), label, DIALECT)
        except _Missing as exc:
            self.c.problems.append(Problem(label, f"cannot be read ({exc})"))
            return
        base = posixpath.dirname(href)
        for sec in (n for n in root.walk() if n.tag == "assessmentSection"):
            title = " ".join(sec.attrs.get("title", "").split()) or DEFAULT_SKILL
            for ref in sec.all("assessmentItemRef"):
                path = self._inside(base, ref.attrs.get("href", ""), label, ref.line,
                                    f"item reference {ref.attrs.get('identifier', '')!r}")
                if path is not None:
                    skills.setdefault(path, title)
                    order.append(path)

    # ---- one item

    def item_file(self, href: str, skill: str) -> None:
        label = self.source.name(href)
        try:
            raw = self.source.read(href)
        except _Missing as exc:
            self.c.problems.append(Problem(label, f"cannot be read ({exc})"))
            return
        try:
            root = parse_xml(raw, label, DIALECT)
        except BankError as exc:
            self.c.problems.extend(exc.problems)
            return
        item = root.children[0] if root.children else None
        if item is None or item.tag != "assessmentItem":
            tag = item.tag if item is not None else "nothing"
            self.c.problems.append(Problem(label, f"is not a QTI assessment item: the top element is <{tag}>, not "
                                                  "<assessmentItem>", line=item.line if item else None))
            return
        self.item(item, label, skill, posixpath.dirname(href))

    def item(self, item: Node, label: str, skill: str, base: str) -> None:
        self.n += 1
        ident = item.attrs.get("identifier", "") or item.attrs.get("title", "")
        qid = self.c.unique_id(slug(ident, f"q{self.n}"))
        body = item.find("itemBody")

        def fail(message: str, fld: str | None = None, line: int | None = None) -> None:
            self.c.problems.append(Problem(label, message, qid, fld, line or item.line))

        if body is None:
            fail("has no <itemBody>", "itemBody")
            return
        interactions = [n for n in body.walk() if n.tag.endswith("Interaction")]
        kinds = sorted({n.tag for n in interactions})
        for n in interactions:
            if n.tag in ESSAY:
                self.c.skipped.append(Problem(label, f"skipped: {ESSAY[n.tag]} ({n.tag}) cannot be scored", qid,
                                              None, n.line))
                return
            if n.tag not in HANDLED:
                self.c.skipped.append(Problem(label, f"skipped: QTI {n.tag} is not one proctorprep can score", qid,
                                              None, n.line))
                return
        decls = {d.attrs.get("identifier", ""): d for d in item.all("responseDeclaration")}
        entry: dict[str, Any] = {"id": qid, "skill": skill}
        image: list[str] = []
        if kinds == ["inlineChoiceInteraction"]:
            parts = self._inline(body, interactions, decls, fail, base)
            entry["prompt"] = " ".join(item.attrs.get("title", "").split()) or "Complete the text."
        elif len(interactions) > 1:
            self.c.skipped.append(Problem(label, f"skipped: {len(interactions)} interactions in one item "
                                                 f"({', '.join(kinds)}); proctorprep imports one per item, or "
                                                 "several inline choices", qid, None, item.line))
            return
        else:
            entry["prompt"] = self.text(body, base, image).strip()
            parts = self._one(interactions[0], decls, fail, base) if interactions else {"type": "info"}
        if parts is None:
            return
        if not entry["prompt"]:
            fail("has no question text in its <itemBody>", "itemBody")
            return
        entry.update(parts)
        if image and self.images:
            entry["image"] = image[0]
        feedback = "\n".join(t for t in (self.text(f, base, []).strip() for f in item.all("modalFeedback")) if t)
        if feedback and entry["type"] != "info":
            entry["explanation"] = feedback
        self.item_files[qid] = label
        self.c.add(entry, item.line)

    def _one(self, node: Node, decls: dict[str, Node], fail, base: str) -> dict[str, Any] | None:
        decl = decls.get(node.attrs.get("responseIdentifier", ""))
        if decl is None:
            fail(f"its {node.tag} answers response {node.attrs.get('responseIdentifier', '')!r}, which has no "
                 "<responseDeclaration>", "responseDeclaration", node.line)
            return None
        key = _key(decl)
        if not key:
            fail(f"response {decl.attrs.get('identifier')!r} has no <correctResponse> (nor a <mapping> worth "
                 "points): nothing is right", "correctResponse", decl.line)
            return None
        if node.tag == "textEntryInteraction":
            if decl.attrs.get("baseType") in ("float", "integer"):
                try:
                    return {"type": "numeric", "answer": [{"value": float(v), "tolerance": 0} for v in key]}
                except ValueError:
                    fail(f"a numeric response's correct value {key[0]!r} is not a number", "correctResponse",
                         decl.line)
                    return None
            accepted = key + _key(decl, mapping_only=True)     # a mapping may accept other spellings too
            return {"type": "short_answer", "answer": list(dict.fromkeys(" ".join(v.split()) for v in accepted))}
        if node.tag == "matchInteraction":
            return self._match(node, key, fail, decl)
        choices = node.all("simpleChoice")
        ids = {c.attrs.get("identifier", ""): _option_id(c.attrs.get("identifier", ""), i)
               for i, c in enumerate(choices, 1)}
        options = []
        for i, ch in enumerate(choices):
            pics: list[str] = []
            text = self.text(ch, base, pics).strip()
            opt: dict[str, Any] = {"id": ids[ch.attrs.get("identifier", "")], "text": text}
            if pics and self.images:
                opt["image"] = pics[0]
                opt["text"] = text or f"Picture {i + 1}"
            options.append(opt)
        wrong = [v for v in key if v not in ids]
        if wrong:
            fail(f"correctResponse names choice {wrong[0]!r}, which is not one of the choices "
                 f"({', '.join(ids) or 'none'})", "correctResponse", decl.line)
            return None
        keyed = [ids[v] for v in key]
        if node.tag == "orderInteraction":
            return {"type": "order", "options": options, "answer": keyed}
        if decl.attrs.get("cardinality", "single") == "single":
            return {"type": "single", "options": options, "answer": keyed[0]}
        return {"type": "multiple", "options": options, "choose": len(keyed), "answer": keyed}

    def _match(self, node: Node, key: list[str], fail, decl: Node) -> dict[str, Any] | None:
        sets = node.all("simpleMatchSet")
        if len(sets) != 2:
            fail(f"a matchInteraction needs two <simpleMatchSet>s, found {len(sets)}", "matchInteraction", node.line)
            return None
        sides = [[(c.attrs.get("identifier", ""), " ".join(self.text(c, "", []).split()))
                  for c in s.all("simpleAssociableChoice")] for s in sets]
        pairs = [tuple(v.split()) for v in key]
        bad = [" ".join(p) for p in pairs if len(p) != 2 or p[0] not in dict(sides[0]) or p[1] not in dict(sides[1])]
        if bad:
            fail(f"correctResponse pair {bad[0]!r} is not 'first-set-id second-set-id' of this item's match sets",
                 "correctResponse", decl.line)
            return None
        for t_side, o_side in ((0, 1), (1, 0)):     # the side whose every item is paired exactly once is the target
            firsts = [p[t_side] for p in pairs]
            if sorted(firsts) == sorted({i for i, _ in sides[t_side]}) and len(firsts) == len(set(firsts)):
                targets = [{"id": _option_id(i, n), "text": t} for n, (i, t) in enumerate(sides[t_side], 1)]
                options = [{"id": _option_id(i, n), "text": t} for n, (i, t) in enumerate(sides[o_side], 1)]
                tid = {i: _option_id(i, n) for n, (i, _t) in enumerate(sides[t_side], 1)}
                oid = {i: _option_id(i, n) for n, (i, _t) in enumerate(sides[o_side], 1)}
                return {"type": "matching", "targets": targets, "options": options,
                        "answer": {tid[p[t_side]]: oid[p[o_side]] for p in pairs}}
        fail("a match where an item pairs with several others, or with none, cannot be scored as matching "
             "(each item of one side must pair exactly once)", "correctResponse", decl.line)
        return None

    def _inline(self, body: Node, nodes: list[Node], decls: dict[str, Node], fail, base: str
                ) -> dict[str, Any] | None:
        blanks, answer = [], {}
        for n, node in enumerate(nodes, 1):
            decl = decls.get(node.attrs.get("responseIdentifier", ""))
            if decl is None:
                fail(f"its inlineChoiceInteraction answers response {node.attrs.get('responseIdentifier', '')!r}, "
                     "which has no <responseDeclaration>", "responseDeclaration", node.line)
                return None
            bid = _option_id(node.attrs.get("responseIdentifier", ""), n)[:32]
            ids = {c.attrs.get("identifier", ""): _option_id(c.attrs.get("identifier", ""), i)
                   for i, c in enumerate(node.all("inlineChoice"), 1)}
            key = _key(decl)
            if not key or key[0] not in ids:
                fail(f"response {decl.attrs.get('identifier')!r} must name one of its inline choices "
                     f"({', '.join(ids) or 'none'}) in <correctResponse>", "correctResponse", decl.line)
                return None
            blanks.append({"id": bid, "options": [{"id": ids[c.attrs.get("identifier", "")],
                                                   "text": " ".join(self.text(c, base, []).split())}
                                                  for c in node.all("inlineChoice")]})
            answer[bid] = ids[key[0]]
            node.attrs["_blank"] = bid
        template = self.text(body, base, []).strip()
        return {"type": "dropdown", "template": template, "blanks": blanks, "answer": answer}

    # ---- text

    def text(self, node: Node, base: str, images: list[str]) -> str:
        """An XHTML fragment as plain text: blocks on their own lines (other white space is insignificant, as in
        HTML), interactions out (a choice list's <prompt> kept), a text entry as a blank, pictures collected (or
        named, when they cannot travel with the bank)."""
        flat = re.sub(r"\s+", " ", self._text(node, base, images))
        # a text entry alone on its line is the answer box the item page draws anyway: no blank to show there
        return "\n".join(line.strip() for line in flat.split(_BREAK) if line.strip() not in ("", "_____"))

    def _text(self, node: Node, base: str, images: list[str]) -> str:
        out: list[str] = [node.text]
        for ch in node.children:
            if ch.tag in BLOCKS:
                out.append(_BREAK)
            if ch.tag == "img":
                src, alt = ch.attrs.get("src", ""), " ".join(ch.attrs.get("alt", "").split())
                path = self._picture(base, src)
                if path is not None and self.images:
                    images.append(path)
                else:
                    out.append(f"[picture: {alt or posixpath.basename(src) or 'no description'}]")
            elif ch.tag == "textEntryInteraction":
                out.append("_____")
            elif ch.tag == "inlineChoiceInteraction":
                out.append(f"[[{ch.attrs['_blank']}]]" if "_blank" in ch.attrs else "_____")
            elif ch.tag.endswith("Interaction"):
                p = ch.find("prompt")
                if p is not None:
                    out.append(_BREAK + self._text(p, base, images) + _BREAK)
            elif ch.tag not in ("responseDeclaration", "outcomeDeclaration", "rubricBlock", "feedbackInline",
                                "feedbackBlock", "templateInline", "templateBlock", "printedVariable"):
                out.append(self._text(ch, base, images))
            if ch.tag in BLOCKS:
                out.append(_BREAK)
            out.append(ch.tail)
        return "".join(out)

    def _picture(self, base: str, src: str) -> str | None:
        from proctorprep.exam.assets import AssetError

        if not src or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src):     # a URL: never fetched
            return None
        try:
            return _within(base, src)
        except AssetError:
            return None


def _within(base: str, href: str) -> str:
    """`href` (relative to the folder `base` of the file naming it) as a path inside the package; AssetError if it
    leads out of it (an absolute path, more '..' than folders above it, a backslash)."""
    from proctorprep.exam.assets import AssetError, safe_relative

    if href.startswith("/") or "\\" in href:
        safe_relative(href)                         # raises with the usual words
    norm = posixpath.normpath(posixpath.join(base, href) if base else href)
    if norm == ".." or norm.startswith("../"):
        raise AssetError(f"{href!r} leads outside the package")
    return safe_relative(norm).as_posix()


def _key(decl: Node, mapping_only: bool = False) -> list[str]:
    """The correct values of a response declaration, or the mapping's entries worth the most (if positive)."""
    cr = decl.find("correctResponse")
    values = [" ".join(v.text.split()) for v in (cr.all("value") if cr is not None and not mapping_only else [])]
    values = [v for v in values if v]
    if values:
        return values
    mapping = decl.find("mapping")
    entries = []
    for e in mapping.all("mapEntry") if mapping is not None else []:
        try:
            entries.append((float(e.attrs.get("mappedValue", "0")), e.attrs.get("mapKey", "")))
        except ValueError:
            continue
    best = max((v for v, _k in entries), default=0.0)
    return [k for v, k in entries if v == best and v > 0 and k]


def _option_id(identifier: str, n: int) -> str:
    cleaned = _ID_CLEAN.sub("-", identifier).strip("-")[:64]
    return cleaned or f"o{n}"


def _open_source(path: Path, label: str) -> tuple[_Source, str | None]:
    """(the source, the manifest's href) for a zip or an imsmanifest.xml; (source, None) for a loose item."""
    from proctorprep.exam.assets import AssetStore

    if path.name.lower().endswith(".zip") or (path.is_file() and zipfile.is_zipfile(path)):
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise BankError([Problem(label, f"cannot be read ({exc.strerror or exc})")]) from None
        if size > MAX_PACKAGE_BYTES:
            raise BankError([Problem(label, f"is {size / 1e6:.1f} MB; a QTI package is limited to "
                                            f"{MAX_PACKAGE_BYTES // (1024 * 1024)} MiB")])
        store = AssetStore.open(path)
        names = store.names()
        manifests = [n for n in names if n == MANIFEST] or [n for n in names if n.endswith("/" + MANIFEST)]
        if len(manifests) != 1:
            store.close()
            raise BankError([Problem(label, f"is not an IMS content package: it has "
                                            f"{'no' if not manifests else len(manifests)} {MANIFEST}")])
        return _Source(label, store=store), manifests[0]
    return _Source(label, folder=path.parent), (path.name if path.name.lower() == MANIFEST else None)


def import_qti_item(raw: bytes, label: str = "<qti>", **kw: Any) -> Imported:
    """One loose assessmentItem file, already read (held to the bank size limit by the caller)."""
    if looks_like_qti(raw) and SNIFF_RE.search(raw[:4096]).group(1) != b"assessmentItem":
        raise BankError([Problem(label, "is a QTI manifest or test, which names other files: import the package "
                                        "zip, or give the path of its imsmanifest.xml")])
    return _import(_Source(label, data=raw), None, label, **kw)


def import_qti(path: str | os.PathLike[str], label: str | None = None, **kw: Any) -> Imported:
    """A QTI package (zip), manifest or loose item file -> the bank, plus the items skipped (each with its line).
    BankError lists every problem, each with file (inside the package), line, question and field."""
    path = Path(path)
    label = label or str(path)
    if not path.exists():
        raise BankError([Problem(label, "does not exist")])
    source, manifest = _open_source(path, label)
    return _import(source, manifest, path.name, **kw)


def _import(source: _Source, manifest: str | None, item_name: str, **kw: Any) -> Imported:
    label = source.label
    r = _Reader(source, Collector(label), images=source.store is not None)
    try:
        if manifest is not None:
            r.package(manifest)
        else:
            r.item_file(item_name, DEFAULT_SKILL)
        try:
            imported = finish(r.c, "IMS QTI", **kw)
        except BankError as exc:    # a problem found by validation names the item file it came from
            raise BankError([dataclasses.replace(p, file=r.item_files.get(p.question or "", p.file))
                             for p in exc.problems]) from None
        bank = imported.bank
        if source.store is not None and bank.uses_files():
            from proctorprep.exam.assets import check_bank_files

            problems = check_bank_files(bank, source.store)
            if problems:
                raise BankError(problems)
            bank = dataclasses.replace(bank, assets=source.store)
            return Imported(bank, imported.skipped, imported.format)
        if source.store is not None:
            source.store.close()
        return imported
    except BaseException:
        if source.store is not None:
            source.store.close()
        raise
