"""一策一码: the stable short URL of a policy (``/p/<code>``), outside the portal prefix so
the printed QR code stays short."""

from django.urls import path

from . import portal_views

app_name = "policy"
urlpatterns = [
    path("p/<str:code>", portal_views.policy_code, name="code"),
]
