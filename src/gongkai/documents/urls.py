"""The staff pages of the registry: documents, review, 解读, catalogue, 清理, 安全巡查."""

from .views import catalogue, interpretations, registry, review

app_name = "documents"
urlpatterns = [
    *registry.urlpatterns,
    *review.urlpatterns,
    *interpretations.urlpatterns,
    *catalogue.urlpatterns,
]
