"""Staff pages (being written)."""

urlpatterns: list = []
