"""The document title: "Page – Service", or the service alone when a page names itself nothing.

Django templates cannot test whether a child filled a block (``self.title`` is Jinja, and is
always empty here), so the separator is decided on the rendered text of the block.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()

SEPARATOR = " – "  # an en dash, as GOV.UK titles (Page – Service – GOV.UK)


class PageTitleNode(template.Node):
    child_nodelists = ("nodelist",)  # the title block inside stays visible to {% extends %}

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        # The block renders escaped (autoescape); collapsing its whitespace keeps it so.
        page = SafeString(" ".join(self.nodelist.render(context).split()))  # nosec B703
        service = conditional_escape(gettext("Kandas Card and Valuable Skills Visa"))
        return format_html("{}{}{}", page, SEPARATOR, service) if page else service


@register.tag
def page_title(parser: template.base.Parser, token: template.base.Token) -> PageTitleNode:
    """``{% page_title %}{% block title %}{% endblock %}{% endpage_title %}`` in base.html."""
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)
