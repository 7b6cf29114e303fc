"""TwiML as Jinja tags: ``{% say voice="man" %}Hi {{ name }}{% endsay %}``.

:class:`TwiMLExtension` adds one tag per element of the table
(:mod:`flask_twilio_rb.twiml.schema`), named like the builder's methods::

    {% say voice="man" %}Hey {{ name }}! Listen to this!{% endsay %}
    {% play %}http://foo.com/cowbell.mp3{% endplay %}
    {% record action=url_for("handle_recording"), method="GET", max_length=20 %}
    {% gather action="/process_gather", num_digits=1 %}
      {% say %}Now hit some buttons!{% endsay %}
    {% endgather %}
    {% hangup %}

* Attributes are ``name=expression`` pairs, separated by commas or spaces, spelled as in the
  builder (``finish_on_key`` -> ``finishOnKey``, ``from_`` or ``from`` -> ``from``). A value
  that is known when the template compiles is written into the template's code once.
* Elements that never have content are single tags (:attr:`Element.void
  <flask_twilio_rb.twiml.schema.Element>`: ``hangup``, ``leave``, ``pause``, ``echo``,
  ``record``, ``reject``, ``parameter``, ``config``, ``header``, ``recording``,
  ``conversation``, ``language``, ``ai_session``, ``conversation_relay_session`` and SSML
  ``break_``); every other element is a block closed by ``{% end<name> %}``.
* SSML ``<break>`` is spelled ``{% break_ %}``, as in the builder: ``{% break %}`` belongs to
  Jinja's loop controls.
* Inside TwiML tags, text and ``{{ }}`` output are always escaped (whatever the environment's
  autoescape says), and characters XML cannot carry raise :class:`~flask_twilio_rb.TwiMLError`.
* Template formatting does not reach the XML: whitespace-only text between two ``{% %}`` tags
  is dropped, and text next to a ``{% %}`` tag loses the whitespace on that side when it holds
  a line break. Spaces on one line are kept, so ``Hello{% if x %} dear{% endif %}`` reads well;
  write ``{{ " " }}`` for a space between two tags.
* A template whose name ends in ``.voice`` is a whole document: the XML declaration and
  ``<Response>`` are added around it. Elsewhere, write ``{% response %}...{% endresponse %}``.
  A document never nests: a ``.voice`` partial included into a response adds only its elements.
* The extension makes the environment autoescape ``.voice`` templates.
* With the environment's ``twiml_trace`` on (:class:`~flask_twilio_rb.TwilioRB` turns it on in
  debug and testing), each element is preceded by a marker naming its template and line;
  :func:`split_sources` takes the markers out and returns what they said, which the views send
  in the ``X-TwiML-Sources`` header (the emulator's phone calls show it in their transcripts).
"""
from __future__ import annotations

import difflib
import itertools
import re
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, List, Optional, Set, Tuple, Union, cast
from urllib.parse import quote, unquote

from jinja2 import Undefined, nodes, pass_context
from jinja2.exceptions import TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.nodes import EvalContext
from jinja2.parser import Parser
from jinja2.runtime import Context, Macro
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from ..errors import TwiMLError
from ..wire import encode_sources
from . import markup, schema
from .schema import ELEMENTS, METHOD_TAGS, RESPONSE, Element

_VOID = frozenset(element.method for element in ELEMENTS.values() if element.void)
# The tag that wraps a .voice template; the space keeps anyone from writing it.
_DOCUMENT = "voice document"
_DOCUMENT_FLAG = "_twiml_document"
_ids = itertools.count(1)
_LEADING = re.compile(r"^\s+")
_TRAILING = re.compile(r"\s+$")


def voice_autoescape(previous: Union[bool, Callable[[Optional[str]], bool]]) -> Callable[[Optional[str]], bool]:
    """An ``autoescape`` setting that is on for ``*.voice`` templates and ``previous`` elsewhere."""
    def autoescape(template_name: Optional[str]) -> bool:
        if template_name is not None and template_name.endswith(".voice"):
            return True
        return previous(template_name) if callable(previous) else previous

    return autoescape


# Runtime helpers, installed as (private) filters: Jinja compiles a filter into a direct call,
# where a function call would go through context.call().

def render_text(value: Any, tag: str) -> Markup:
    """``{{ value }}`` inside ``<tag>``: escaped, checked, marked safe."""
    return Markup(markup.text(value, tag))


def render_attribute(value: Any, name: str, tag: str) -> Markup:
    """`` name="value"``, or nothing for ``None``: an attribute known only at render time."""
    if value is None:
        return Markup("")
    return Markup(f' {name}="{markup.attribute_value(value, name, tag)}"')


@pass_context
def call(context: Context, callee: Any, *args: Any, **kwargs: Any) -> Any:
    """A call in a TwiML template; a macro of a template that is not autoescaped answers plain text.

    Jinja marks a macro's result safe by the caller's autoescape setting, so a macro from a
    ``.txt`` template called in a ``.voice`` one would pass its raw text off as markup; called
    with autoescape off, its text is escaped where it is written, like any other value.
    """
    if isinstance(callee, Macro) and not callee._default_autoescape:
        plain = EvalContext(context.environment, context.name)
        plain.autoescape = False
        return str(callee(plain, *args, **kwargs))
    return context.call(callee, *args, **kwargs)


@pass_context
def included(context: Context, name: Any, tag: str, ignore_missing: bool) -> Any:
    """The template an ``{% include %}`` in ``<tag>`` renders: one that is not autoescaped writes escaped text.

    Its own rules apply to an autoescaped template (a ``.voice`` partial's tags, an ``.html``
    partial's escaping); the raw text of any other (``.txt``...) is escaped as ``<tag>``'s text.
    """
    environment = context.environment
    try:
        template = environment.get_or_select_template(name, parent=context.name)
    except Exception:
        if not ignore_missing:
            raise
        return environment.from_string("")
    autoescape = environment.autoescape
    if autoescape(template.name) if callable(autoescape) else autoescape:
        return template
    escaped = template.__dict__.setdefault(_ESCAPED, {})
    if tag not in escaped:
        raw = template.root_render_func
        variant = object.__new__(type(template))  # the same template (Template.__new__ would compile one)
        variant.__dict__.update(template.__dict__)

        def root(ctx: Context) -> Iterator[str]:
            for event in raw(ctx):
                yield markup.text(event, tag)

        variant.root_render_func = root  # type: ignore[method-assign]
        escaped[tag] = variant
    return escaped[tag]


def require_defined(value: Any) -> Any:
    """In strict mode, around each ``{{ }}`` and computed attribute: an undefined name is an error
    (as with :class:`jinja2.StrictUndefined`), not an empty string (``Hello !``)."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()  # raises UndefinedError: "'name' is undefined"
    return value


_TEXT = "_twiml_text"
_ATTRIBUTE = "_twiml_attribute"
_CALL = "_twiml_call"
_INCLUDED = "_twiml_included"
_ESCAPED = "_twiml_escaped_variants"
_DONE = "_twiml_done"  # marks a node _tidy has made text of: an enclosing body leaves it as it is
_DEFINED = "_twiml_defined"


class _Calls(NodeTransformer):
    """Calls through :func:`call` (so a non-autoescaped macro answers text); ``{% call %}`` keeps its own."""

    def visit_Call(self, node: nodes.Call) -> nodes.Node:  # noqa: N802 - NodeTransformer's spelling
        self.generic_visit(node)
        return nodes.Filter(node.node, _CALL, node.args, node.kwargs, node.dyn_args, node.dyn_kwargs,
                            lineno=node.lineno)

    def visit_CallBlock(self, node: nodes.CallBlock) -> nodes.Node:  # noqa: N802
        for field in ("args", "kwargs"):
            setattr(node.call, field, [self.visit(child) for child in getattr(node.call, field)])
        node.body = [self.visit(child) for child in node.body]
        return node


# -- trace mode: where each element comes from ---------------------------------------------------

#: What a marker starts with: an XML processing instruction, so a document that keeps one is still XML.
SOURCE_MARKER = "<?twiml-source "
# A marker, or the start tag of an element (text and attribute values never hold a bare "<").
_MARKER_OR_TAG = re.compile(r"<\?twiml-source (\S+)\?>|<[A-Za-z]")
_MARKER = re.compile(r"<\?twiml-source \S+\?>")


def _source_marker(template: Optional[str], lineno: int) -> str:
    return f"{SOURCE_MARKER}{quote(template or '<string>', safe='/._-~')}:{lineno}?>"


def split_sources(text: str) -> Tuple[str, str]:
    """``text`` without its source markers, and the ``X-TwiML-Sources`` value they make (``""``: none).

    An element's number is how many elements start before it (``<Response>`` is 0), so the
    header names elements of the document exactly as it is sent.
    """
    if SOURCE_MARKER not in text:
        return text, ""
    sources: List[Tuple[int, str, int]] = []
    elements = 0
    for match in _MARKER_OR_TAG.finditer(text):
        if match.group(1) is None:
            elements += 1
        else:
            name, _, line = match.group(1).rpartition(":")
            sources.append((elements, name, int(line)))
    return _MARKER.sub("", text), encode_sources((index, unquote(name), line) for index, name, line in sources)


# -- strict mode: the element table checked while a template compiles -------------------------

_OPEN = "_twiml_open"  # the parser's stack of open elements (a parser compiles one template)


@contextmanager
def _inside(parser: Parser, element: Optional[Element]) -> Iterator[None]:
    """Parse a body with ``element`` open (``None``: unknown, nothing inside is checked)."""
    stack = parser.__dict__.setdefault(_OPEN, [])
    stack.append(element)
    try:
        yield
    finally:
        stack.pop()


def _strict_spec(parser: Parser, tag: str, lineno: int) -> Optional[Element]:
    """The table entry of ``<tag>`` where it stands, in strict mode; ``None`` when not checked."""
    if not parser.environment.twiml_strict:  # type: ignore[attr-defined]
        return None
    stack = parser.__dict__.get(_OPEN) or [None]
    parent = stack[-1]
    if parent is None:  # a fragment outside any document: the element stands alone
        return ELEMENTS.get(tag)
    try:
        return schema.child_of(parent, tag)
    except TwiMLError as error:
        parser.fail(str(error), lineno)


def _has_text(body: List[Any]) -> bool:
    """Whether ``body`` (not yet tidied) writes text of its own, beside its child elements."""
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    if not child.data.isspace():
                        return True
                elif not (isinstance(child, nodes.MarkSafe)  # a child element's markup, text, attributes
                          or isinstance(child, nodes.Filter) and child.name in (_TEXT, _ATTRIBUTE)):
                    return True
        elif any(_has_text(value) for field in node.fields  # a statement: look into its bodies
                 if isinstance(value := getattr(node, field), list)):
            return True
    return False


def _markup(data: str, lineno: int) -> nodes.MarkSafe:
    # Text that is already TwiML (tags, escaped text). Templates cannot write a MarkSafe node,
    # so it also marks what _tidy has done; it folds into a plain string when compiled.
    return nodes.MarkSafe(nodes.Const(data, lineno=lineno), lineno=lineno)


class TwiMLExtension(Extension):
    """Jinja tags for every TwiML element; see the module documentation for the rules.

    .. code-block:: python

        env = jinja2.Environment(loader=..., extensions=[TwiMLExtension])
        env.get_template("menu.voice").render(name="Bob")

    :class:`~flask_twilio_rb.TwilioRB` adds it to ``app.jinja_env``.
    """

    tags = set(METHOD_TAGS) | {"response", _DOCUMENT} | {f"end{method}" for method in _VOID}

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        # Checked when a template compiles (attributes, nesting, text): no cost when it renders.
        environment.extend(twiml_strict=False, twiml_trace=False)
        environment.autoescape = voice_autoescape(environment.autoescape)
        environment.filters[_TEXT] = render_text
        environment.filters[_ATTRIBUTE] = render_attribute
        environment.filters[_CALL] = call
        environment.filters[_INCLUDED] = included
        environment.filters[_DEFINED] = require_defined

    def filter_stream(self, stream: TokenStream) -> Union[TokenStream, Iterable[Token]]:
        """Wrap ``*.voice`` templates in the document tag; in strict mode, suggest the tag a typo meant."""
        tokens: Union[TokenStream, Iterable[Token]] = stream
        if self.environment.twiml_strict:  # type: ignore[attr-defined]
            tokens = self._suggesting_stream(stream)
        if stream.name is not None and stream.name.endswith(".voice"):
            return self._document_stream(tokens)
        return tokens

    def _suggesting_stream(self, stream: TokenStream) -> Iterator[Token]:
        # A tag name no parser knows, close to one that exists ({% sya %}): Jinja would say only
        # "unknown tag"; say which tag was meant. Names not close to any are left to Jinja.
        known = _known_tags(self.environment)
        after_block_begin = False
        for token in stream:
            if after_block_begin and token.type == "name" and token.value not in known:
                close = difflib.get_close_matches(token.value, sorted(known), n=1, cutoff=0.6)
                if close:
                    raise TemplateSyntaxError(
                        f"Encountered unknown tag {token.value!r}: did you mean {{% {close[0]} %}}? (strict mode)",
                        token.lineno, stream.name, stream.filename)
            after_block_begin = token.type == "block_begin"
            yield token

    @staticmethod
    def _document_stream(stream: Iterable[Token]) -> Iterator[Token]:
        yield Token(1, "block_begin", "")
        yield Token(1, "name", _DOCUMENT)
        yield Token(1, "block_end", "")
        yield from stream

    def parse(self, parser: Parser) -> Union[nodes.Node, List[nodes.Node]]:
        """Parse one TwiML tag (the parser stands on its name)."""
        token = next(parser.stream)
        name, lineno = token.value, token.lineno
        if name == _DOCUMENT:
            with _inside(parser, RESPONSE):
                return self._parse_document(parser)
        if name == "response":
            with _inside(parser, RESPONSE):
                return self._parse_response(parser, lineno)
        if name not in METHOD_TAGS:
            method = name[len("end"):]
            parser.fail(
                f"<{METHOD_TAGS[method]}> never has content: write {{% {method} %}} alone, "
                f"without {{% {name} %}}.", lineno)
        return self._parse_element(parser, name, METHOD_TAGS[name], lineno)

    # -- elements -------------------------------------------------------------------------

    def _parse_element(self, parser: Parser, name: str, tag: str, lineno: int) -> List[nodes.Node]:
        spec = _strict_spec(parser, tag, lineno)
        start = self._start_tag(parser, name, tag, spec)
        if parser.environment.twiml_trace:  # type: ignore[attr-defined]
            start.insert(0, _source_marker(parser.name, lineno))
        if name in _VOID:
            return [self._output(start + ["/>"], lineno)]
        with _inside(parser, spec):
            raw = parser.parse_statements((f"name:end{name}",), drop_needle=True)
        if spec is not None and not spec.text and _has_text(raw):
            parser.fail(f"{{% {name} %}} holds text, but <{tag}> cannot contain text (strict mode); "
                        "put it in an element such as {% say %}.", lineno)
        body = self._tidy(raw, tag, parser)
        if not body:
            return [self._output(start + ["/>"], lineno)]
        return _merged([self._output(start + [">"], lineno), *body, self._output([f"</{tag}>"], lineno)])

    def _start_tag(self, parser: Parser, name: str, tag: str, spec: Optional[Element]) -> List[Union[str, nodes.Expr]]:
        """``<Tag`` and its attributes: strings where the value is constant, calls elsewhere."""
        stream = parser.stream
        eval_ctx = nodes.EvalContext(parser.environment, parser.name)
        pieces: List[Union[str, nodes.Expr]] = [f"<{tag}"]
        seen: Set[str] = set()
        while stream.current.type != "block_end":
            if seen and stream.current.type == "comma":
                next(stream)
                continue
            if stream.current.type != "name":
                parser.fail(_attributes_hint(name, tag), stream.current.lineno)
            key = next(stream)
            if stream.current.type != "assign":
                parser.fail(
                    f"Attribute {key.value!r} of {{% {name} %}} has no value: write {key.value}=\"...\"",
                    key.lineno)
            next(stream)
            expression = parser.parse_expression()
            attribute = markup.attribute_name(key.value)
            if attribute in seen:
                parser.fail(f"{{% {name} %}} sets {attribute!r} twice; keep one.", key.lineno)
            if spec is not None:
                try:
                    schema.check_attributes(spec, (attribute,))
                except TwiMLError as error:
                    parser.fail(str(error), key.lineno)
            seen.add(attribute)
            try:
                value = expression.as_const(eval_ctx)
            except Exception:  # not constant: rendered when the template is
                pieces.append(nodes.Filter(_checked(expression, parser), _ATTRIBUTE,
                                           [nodes.Const(attribute), nodes.Const(tag)], [], None, None,
                                           lineno=key.lineno))
                continue
            if value is not None:
                try:
                    pieces.append(f' {attribute}="{markup.attribute_value(value, attribute, tag)}"')
                except TwiMLError as error:
                    parser.fail(str(error), key.lineno)
        return pieces

    @staticmethod
    def _output(pieces: List[Union[str, nodes.Expr]], lineno: int) -> nodes.Output:
        children: List[nodes.Expr] = []
        for piece in pieces:
            if isinstance(piece, str):
                if children and isinstance(children[-1], nodes.MarkSafe):
                    # Every MarkSafe here came from _markup (templates cannot write one): it wraps a Const.
                    cast(nodes.Const, children[-1].expr).value += piece
                else:
                    children.append(_markup(piece, lineno))
            else:
                children.append(piece)
        return nodes.Output(children, lineno=lineno)

    # -- documents ------------------------------------------------------------------------

    def _parse_response(self, parser: Parser, lineno: int) -> List[nodes.Node]:
        if parser.stream.current.type != "block_end":
            parser.fail("{% response %} takes no attributes: put the elements between "
                        "{% response %} and {% endresponse %}.", lineno)
        body = parser.parse_statements(("name:endresponse",), drop_needle=True)
        return self._wrap(self._tidy(body, "Response", parser), lineno)

    def _parse_document(self, parser: Parser) -> List[nodes.Node]:
        stream = parser.stream
        stream.expect("block_end")
        try:
            body = parser.subparse()
        except TemplateSyntaxError as error:
            # The document tag is ours, not the author's: keep it out of Jinja's hints.
            hint = f" The innermost block that needs to be closed is {_DOCUMENT!r}."
            error.args = ((error.message or "").replace(hint, ""), *error.args[1:])
            raise
        # The document runs to the end of the template; the statement loop that called us
        # wants a block end next, then meets the end of the stream as usual.
        eof = stream.current
        stream.current = Token(eof.lineno, "block_end", "")
        stream.push(eof)
        body = self._tidy(body, "Response", parser)
        if any(node.find(nodes.Extends) is not None or isinstance(node, nodes.Extends) for node in body):
            return body  # the parent template makes the document
        return self._wrap(body, 1)

    def _wrap(self, body: List[nodes.Node], lineno: int) -> List[nodes.Node]:
        """Declaration and ``<Response>`` around ``body``, unless a document is already open."""
        opened = f"_twiml_opened_{next(_ids)}"
        return [
            nodes.Assign(nodes.Name(opened, "store"),
                         nodes.Test(nodes.Name(_DOCUMENT_FLAG, "load"), "undefined", [], [], None, None),
                         lineno=lineno),
            nodes.If(nodes.Name(opened, "load"), [
                nodes.Assign(nodes.Name(_DOCUMENT_FLAG, "store"), nodes.Const(True)),
                self._output([markup.DECLARATION + "<Response>"], lineno),
            ], [], [], lineno=lineno),
            # Macros and caller blocks return Markup, so their TwiML is not escaped again.
            nodes.ScopedEvalContextModifier([nodes.Keyword("autoescape", nodes.Const(True))], body,
                                            lineno=lineno),
            nodes.If(nodes.Name(opened, "load"), [self._output(["</Response>"], lineno)], [], [],
                     lineno=lineno),
        ]

    # -- text -----------------------------------------------------------------------------

    def _tidy(self, body: List[Any], tag: str, parser: Parser) -> List[Any]:
        """Escape and trim the text of ``body``, in ``<tag>``, through any statement it holds.

        What Jinja writes without escaping is made text too: an ``{% include %}`` of a template
        that is not autoescaped (:func:`included`), a macro of one (:func:`call`), and a
        ``{% filter %}`` or filtered ``{% set %}`` block, whose filter runs on the raw text
        before it is escaped once (:meth:`_filtered`).
        """
        result: List[Any] = []
        for node in body:
            if getattr(node, _DONE, False):  # made text already, inside an element of this body
                pass
            elif isinstance(node, nodes.Output):
                node.nodes = self._tidy_output(node.nodes, tag, parser)
                if not node.nodes:
                    continue
            elif isinstance(node, nodes.Include):
                node.template = nodes.Filter(node.template, _INCLUDED, [nodes.Const(tag),
                                             nodes.Const(node.ignore_missing)], [], None, None, lineno=node.lineno)
                setattr(node, _DONE, True)
            elif _filters_text(node):
                result.extend(self._filtered(node, tag, parser))
                continue
            elif isinstance(node, nodes.Stmt):
                for field in node.fields:
                    value = getattr(node, field)
                    if isinstance(value, list):
                        setattr(node, field, self._tidy(value, tag, parser))
            result.append(node)
        return _merged([_Calls().visit(node) for node in result])

    def _filtered(self, node: Union[nodes.FilterBlock, nodes.AssignBlock], tag: str, parser: Parser) -> List[Any]:
        """A filter block's text filtered raw, then escaped once: ``&`` never becomes ``&AMP;``."""
        for child in node.body:  # trimmed as elsewhere, not escaped: the filter sees the text itself
            if isinstance(child, nodes.Output):
                child.nodes = [n for n in child.nodes if not (isinstance(n, nodes.TemplateData) and n.data.isspace())]
        plain = [nodes.Keyword("autoescape", nodes.Const(False))]
        if isinstance(node, nodes.AssignBlock):  # {% set x | f %}: x holds text, escaped where it is written
            raw = nodes.ScopedEvalContextModifier(plain, [node], lineno=node.lineno)
            setattr(raw, _DONE, True)
            return [raw]
        name = f"_twiml_filtered_{next(_ids)}"
        capture = nodes.AssignBlock(nodes.Name(name, "store"), node.filter, node.body, lineno=node.lineno)
        node.filter.node = None  # type: ignore[assignment]  # AssignBlock feeds the captured text to it
        raw = nodes.ScopedEvalContextModifier(plain, [capture], lineno=node.lineno)
        setattr(raw, _DONE, True)
        return [raw, nodes.Output([nodes.Filter(nodes.Name(name, "load"), _TEXT, [nodes.Const(tag)], [], None, None,
                                                lineno=node.lineno)], lineno=node.lineno)]

    @staticmethod
    def _tidy_output(children: List[nodes.Expr], tag: str, parser: Parser) -> List[nodes.Expr]:
        result: List[nodes.Expr] = []
        last = len(children) - 1
        for index, child in enumerate(children):
            if isinstance(child, nodes.TemplateData):
                data = child.data
                # Text at an edge of an Output node touches a {% %} tag there.
                if index == 0 and index == last and data.isspace():
                    continue
                if index == 0:
                    match = _LEADING.search(data)
                    if match and "\n" in match.group():
                        data = data[match.end():]
                if index == last:
                    match = _TRAILING.search(data)
                    if match and "\n" in match.group():
                        data = data[:match.start()]
                if not data:
                    continue
                try:
                    result.append(_markup(markup.text(data, tag), child.lineno))
                except TwiMLError as error:
                    parser.fail(str(error), child.lineno)
            elif isinstance(child, nodes.MarkSafe) or _is_ours(child):
                result.append(child)
            else:
                result.append(nodes.Filter(_checked(child, parser), _TEXT, [nodes.Const(tag)], [], None, None,
                                           lineno=child.lineno))
        return result


def _checked(expression: nodes.Expr, parser: Parser) -> nodes.Expr:
    """``expression``, failing at render time when it is undefined, in strict mode."""
    if not parser.environment.twiml_strict:  # type: ignore[attr-defined]
        return expression
    return nodes.Filter(expression, _DEFINED, [], [], None, None, lineno=expression.lineno)


#: Jinja's own statements and the words inside them (``{% else %}``...), as the parser knows them.
_JINJA_TAGS = frozenset({"for", "if", "block", "extends", "print", "macro", "include", "from", "import", "set",
                         "with", "autoescape", "filter", "call", "elif", "else", "pluralize", "raw"})


def _known_tags(environment: Any) -> Set[str]:
    """Every tag a template of ``environment`` may use: Jinja's, each extension's, and their ``end`` tags."""
    names = set(_JINJA_TAGS)
    for extension in environment.extensions.values():
        names.update(extension.tags)
    return names | {f"end{name}" for name in names}


def _merged(body: List[Any]) -> List[Any]:
    """``body`` with each run of Output nodes joined: one Output compiles to one ``yield`` of
    its constants joined at compile time."""
    result: List[Any] = []
    for node in body:
        if isinstance(node, nodes.Output) and result and isinstance(result[-1], nodes.Output):
            result[-1].nodes.extend(node.nodes)
        else:
            result.append(node)
    return result


def _filters_text(node: nodes.Node) -> bool:
    """Whether ``node`` filters text of its own: a filter block, or a ``{% set %}`` block with a filter, holding no element."""
    if isinstance(node, nodes.FilterBlock) or isinstance(node, nodes.AssignBlock) and node.filter is not None:
        return not any(child.find(nodes.MarkSafe) is not None or isinstance(child, nodes.MarkSafe)
                       for child in node.body)
    return False


def _is_ours(node: nodes.Expr) -> bool:
    return isinstance(node, nodes.Filter) and node.name in (_TEXT, _ATTRIBUTE)


def _attributes_hint(name: str, tag: str) -> str:
    text = "" if name in _VOID else f"; its content goes between {{% {name} %}} and {{% end{name} %}}"
    names = sorted({a for e in ELEMENTS.values() if e.tag == tag for a in e.attributes})
    if not names:
        return f"{{% {name} %}} takes no attributes{text}."
    example = re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), names[0]).replace("-", "_").replace(":", "_")
    return f'{{% {name} %}} takes attributes as name=value pairs, e.g. {{% {name} {example}="..." %}}{text}.'
