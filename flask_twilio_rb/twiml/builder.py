"""The Python TwiML builder: every method call adds an element.

.. code-block:: python

    xml = TwiML.build(lambda res: res.say("Hi", voice="man"))

    with TwiML.response() as res:
        with res.gather(action="/g", num_digits=1) as g:
            g.say("Press 1")
        res.hangup()
    str(res)

The builder keeps a light tree of pre-rendered start tags and escaped text and writes the
document with one ``join``: no ElementTree, no per-element objects beyond the tree itself.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, List, Optional, Union

from . import markup, schema
from .markup import DECLARATION
from .schema import Element as Spec

_Content = List[Union[str, "Element"]]


class Element:
    """One TwiML element under construction (also the base of :class:`Document`).

    Call a method named after a child to add it: ``el.say("Hi", voice="man")``. The
    first positional argument is the element's text, keyword arguments are its attributes
    (see :mod:`flask_twilio_rb.twiml.markup` for the spelling rules). The call returns the
    child, which is also a context manager for nesting::

        with res.gather(action="/g") as g:
            g.say("...")

    Method names come from the element table (``say_as`` -> ``<say-as>``, ``break_`` ->
    ``<break>``); any other name works too (``res.new_verb()`` -> ``<NewVerb/>``) unless the
    document is strict. The builder's own names are :meth:`text` and the dunder methods.
    """

    __slots__ = ("_tag", "_start", "_content", "_spec", "_strict")

    def __init__(self, tag: str, start: str, content: _Content, spec: Optional[Spec], strict: bool) -> None:
        self._tag = tag
        self._start = start  # "<Tag" and the attributes: the rest depends on the content
        self._content = content
        self._spec = spec
        self._strict = strict

    def _add(self, tag: str, text: Any, attrs: dict) -> "Element":
        spec = None
        if self._strict:
            spec = schema.child_of(self._spec, tag)  # type: ignore[arg-type]
            schema.check_attributes(spec, tuple(markup.attribute_name(k) for k in attrs))
            if text is not None:
                schema.check_text(spec)
        child = Element(tag, f"<{tag}{markup.attributes(attrs, tag) if attrs else ''}",
                        [] if text is None else [markup.text(text, tag)], spec, self._strict)
        self._content.append(child)
        return child

    def __getattr__(self, name: str) -> Callable[..., "Element"]:
        # Only names the table does not know get here; private and dunder lookups
        # (copy, pickle, IPython probes) must keep failing.
        if name.startswith("_"):
            raise AttributeError(name)
        tag = markup.element_tag(name)

        def add(text: Any = None, /, **attributes: Any) -> Element:
            return self._add(tag, text, attributes)

        add.__name__ = name
        return add

    def text(self, content: Any) -> "Element":
        """Add ``content`` as text after what the element already holds; returns the element.

        ``with res.say("Hello") as s: s.break_(time="1s"); s.text("world")``.
        """
        if self._strict:
            schema.check_text(self._spec)  # type: ignore[arg-type]
        self._content.append(markup.text(content, self._tag))
        return self

    def __enter__(self) -> "Element":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        return None

    def _write(self, out: List[str]) -> None:
        content = self._content
        if not content:
            out.append(self._start + "/>")
        elif len(content) == 1 and type(content[0]) is str:  # a leaf with text: most elements
            out.append(f"{self._start}>{content[0]}</{self._tag}>")
        else:
            out.append(self._start + ">")
            for item in content:
                if type(item) is str:
                    out.append(item)
                else:
                    item._write(out)  # type: ignore[union-attr]
            out.append(f"</{self._tag}>")

    def _write_pretty(self, out: List[str], indent: str) -> None:
        content = self._content
        if not content:
            out.append(f"{indent}{self._start}/>")
        elif any(type(item) is str for item in content):
            # Text is kept exactly: an element holding text is written on one line.
            inline: List[str] = [indent]
            self._write(inline)
            out.append("".join(inline))
        else:
            out.append(f"{indent}{self._start}>")
            deeper = indent + "  "
            for item in content:
                item._write_pretty(out, deeper)  # type: ignore[union-attr]
            out.append(f"{indent}</{self._tag}>")

    def __str__(self) -> str:
        out: List[str] = []
        self._write(out)
        return "".join(out)

    def __repr__(self) -> str:
        return f"<TwiML {self._start}> with {len(self._content)} item(s)>"


def _method(name: str, tag: str) -> Callable[..., Element]:
    # The builder's hot path: everything the usual call needs is bound here, once per tag.
    opening = "<" + tag
    text_of, attributes_of, special, new = markup.text, markup.attributes, markup.TEXT_SPECIAL.search, Element

    def add(self: Element, text: Any = None, /, **attributes: Any) -> Element:
        if self._strict:
            return self._add(tag, text, attributes)
        content: _Content  # the child's own list: the builder appends elements to it later
        if text is None:
            content = []
        elif type(text) is str and special(text) is None:
            content = [text]
        else:
            content = [text_of(text, tag)]
        child = new(tag, opening + attributes_of(attributes, tag) if attributes else opening, content, None, False)
        self._content.append(child)
        return child

    add.__name__ = name
    add.__doc__ = f"Add a ``<{tag}>`` element (text first, attributes as keywords) and return it."
    return add


# Table methods are real methods: a plain attribute lookup, not a __getattr__ round trip.
for _name, _tag in schema.METHOD_TAGS.items():
    setattr(Element, _name, _method(_name, _tag))


class Document(Element):
    """A whole ``<Response>``: ``str()`` gives the XML document, with its declaration.

    Made by :meth:`TwiML.response`. A Flask view may return it as is: it is also a WSGI
    application answering with ``Content-Type: text/xml; charset=utf-8``.
    """

    __slots__ = ("_pretty",)

    def __init__(self, pretty: bool = False, strict: bool = False) -> None:
        super().__init__("Response", "<Response", [], schema.RESPONSE, strict)
        self._pretty = pretty

    def __str__(self) -> str:
        if self._pretty:
            lines = [DECLARATION]
            self._write_pretty(lines, "")
            return "\n".join(lines)
        out = [DECLARATION]
        self._write(out)
        return "".join(out)

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Answer as a WSGI application, so a Flask view can ``return`` the document.

        Flask runs it once to make the view's response: written here directly, without a
        response object of its own for Flask to copy (a HEAD request gets the headers alone).
        """
        body = str(self).encode("utf-8")
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


class TwiML:
    """Entry points of the builder.

    >>> TwiML.build(lambda res: res.say("Hi", voice="man"))
    '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="man">Hi</Say></Response>'
    """

    @staticmethod
    def response(pretty: bool = False, strict: bool = False) -> Document:
        """A new, empty ``<Response>`` to add elements to; ``str()`` of it is the XML.

        :param pretty: indent the output by two spaces per level (elements holding text stay
            on one line, so the text is exactly what was given).
        :param strict: check every element, attribute and text against the element table
            (:mod:`flask_twilio_rb.twiml.schema`) and raise :class:`~flask_twilio_rb.TwiMLError`
            at the first mistake.
        """
        return Document(pretty=pretty, strict=strict)

    @staticmethod
    def build(fn: Callable[[Document], Any], pretty: bool = False, strict: bool = False) -> str:
        """Call ``fn`` with a new response and return the XML it built (see :meth:`response`)."""
        document = Document(pretty=pretty, strict=strict)
        fn(document)
        return str(document)
