"""一策一码: the stable short URL of a policy (``/p/<code>``) and its QR codes, outside the
portal prefix so the printed QR code stays short. The image addresses come first: ``<str:code>``
would otherwise take ``ABC.svg`` as a code."""

from django.urls import path

from . import portal_views

app_name = "policy"
urlpatterns = [
    path("p/<str:code>.svg", portal_views.policy_qr_svg, name="qr_svg"),
    path("p/<str:code>.png", portal_views.policy_qr_png, name="qr_png"),
    path("p/<str:code>", portal_views.policy_code, name="code"),
]
