"""The XML every importer of an XML format reads (Moodle XML, IMS QTI): untrusted bytes -> a small tree that keeps
line numbers, through defusedxml (no DTD, no entity declarations, no external references: a question file never
needs them, and refusing them shuts out entity expansion and external-entity tricks), nesting held to
MAX_XML_DEPTH. Namespace prefixes are dropped from tag and attribute names (`qti:choiceInteraction` is
`choiceInteraction`): the importers match on local names."""

from __future__ import annotations

import html
import re
import xml.sax
from dataclasses import dataclass, field
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from proctorprep.exam.errors import BankError, Problem

MAX_XML_DEPTH = 64
_BREAK_RE = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/h\d|/tr)\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    text: str = ""          # character data directly inside (not in children)
    tail: str = ""          # character data after this element, up to its next sibling (mixed content)

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def walk(self):
        """This node and every node below it, in document order."""
        yield self
        for c in self.children:
            yield from c.walk()

    def inner_text(self, tag: str) -> str:
        """The <text> inside child `tag` (Moodle wraps nearly every string so), as plain text."""
        child = self.find(tag)
        if child is None:
            return ""
        t = child.find("text")
        return plain(t.text if t is not None else child.text)


def plain(text: str) -> str:
    """HTML (as a string) -> plain text: breaks at block ends, tags dropped, entities decoded, spaces collapsed."""
    text = _TAG_RE.sub("", _BREAK_RE.sub("\n", text))
    lines = [" ".join(html.unescape(line).split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("", {}, 0)
        self.stack = [self.root]
        self.locator = None

    def setDocumentLocator(self, locator) -> None:   # noqa: N802 - SAX naming
        self.locator = locator

    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator is not None else 0

    def startElement(self, name, attrs) -> None:   # noqa: N802 - SAX naming
        if len(self.stack) > MAX_XML_DEPTH:
            raise _Refused(f"is nested more than {MAX_XML_DEPTH} levels deep; a question bank never needs that")
        node = Node(_local(name), {_local(k): v for k, v in attrs.items() if not k.startswith("xmlns")},
                    self.line())
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def endElement(self, name) -> None:   # noqa: N802 - SAX naming
        self.stack.pop()

    def characters(self, content) -> None:
        parent = self.stack[-1]
        if parent.children:
            parent.children[-1].tail += content
        else:
            parent.text += content


def parse_xml(raw: bytes, label: str, dialect: str) -> Node:
    """Bytes -> a tree with line numbers (the root is a nameless node holding the document element), or BankError
    with line (and column for XML that is not well-formed). `dialect` names the format in the refusals."""
    b = _Builder()
    try:
        defusedxml.sax.parseString(raw, b, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise BankError([Problem(label, f"has a DOCTYPE declaration; {dialect} never needs one, so it is refused",
                                 line=b.line() or None)]) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise BankError([Problem(label, f"declares entities; {dialect} never needs them, so it is refused",
                                 line=b.line() or None)]) from None
    except _Refused as exc:
        raise BankError([Problem(label, str(exc), line=b.line() or None)]) from None
    except xml.sax.SAXParseException as exc:
        raise BankError([Problem(label, f"is not well-formed XML: {exc.getMessage()}",
                                 line=exc.getLineNumber(), column=exc.getColumnNumber() + 1)]) from None
    return b.root
