"""Agendas, minutes, terms and progress updates are plain text or Markdown: shown as HTML that cannot carry a script,
a style or an image from elsewhere (the Content-Security-Policy would refuse them, and nobody should be tracked)."""

from functools import cache

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


@cache
def _parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text, never passed through.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")


@register.filter(name="markdown")
def markdown(source: str | None) -> SafeString:
    """Markdown as sanitized HTML; headings are moved down two levels so that they sit under the page's own."""
    html = _parser().render(source or "")
    for level in range(6, 0, -1):
        lower = min(6, level + 2)
        html = html.replace(f"<h{level}>", f"<h{lower}>").replace(f"</h{level}>", f"</h{lower}>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitized by nh3 just above)
