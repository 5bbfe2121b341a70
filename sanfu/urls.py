from django.urls import URLPattern, URLResolver, include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api import urls as api_urls
from audit_search import views as audit_views
from org.account import account
from sanfu import display, media, views

urlpatterns: list[URLPattern | URLResolver] = [
    # before Wagtail's own: its site history is not scoped to Sanfu's roles
    path("admin/reports/site-history/", audit_views.site_history),
    path("admin/reports/site-history/results/", audit_views.site_history_results),
    # a Chinese name is one field, and the e-mail is optional (org.account)
    path("admin/account/", account),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("display/", display.set_display_mode, name="set_display_mode"),
    path("demands/", include("demands.urls")),
    path("column/", include("publicity.urls")),
    path("ledgers/", include("ledgers.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("api/v1/", include(api_urls.v1_urls)),
    path("open311/v2/", include(api_urls.open311_urls)),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    # The development server's public media (Wagtail's images); a 404 unless DEBUG
    # is on, where nginx serves them. Registered either way, so the URL
    # configuration does not depend on the settings it was first imported under.
    re_path(r"^media/(?P<path>.*)$", media.public_media, name="public_media"),
    # Wagtail's page tree serves everything else, so it comes last.
    path("", include(wagtail_urls)),
]

# a body over DATA_UPLOAD_MAX_MEMORY_SIZE: a 413 page, not a bare 400
handler400 = "sanfu.views.bad_request"
handler404 = "sanfu.views.page_not_found"
handler500 = "sanfu.views.server_error"
