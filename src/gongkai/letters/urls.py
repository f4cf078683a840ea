from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("cases/<int:pk>/letters/new/", views.issue, name="issue"),
    path("cases/<int:pk>/letters/preview/docx/", views.preview_download, name="preview"),
    path("cases/<int:pk>/letters/<int:letter_id>/", views.print_view, name="print"),
    path("cases/<int:pk>/letters/<int:letter_id>/docx/", views.download, name="download"),
    path("cases/<int:pk>/letters/<int:letter_id>/deliver/", views.deliver, name="deliver"),
    path("cases/<int:pk>/deliveries/<int:delivery_id>/confirm/", views.confirm, name="confirm"),
    path("cases/<int:pk>/deliveries/<int:delivery_id>/return/", views.returned, name="return"),
    path(
        "cases/<int:pk>/letters/reply-attachments/basis/",
        views.reply_basis,
        name="reply_basis",
    ),
    path("letters/templates/", views.template_list, name="templates"),
    path(
        "letters/templates/<int:agency_id>/<str:doc_type>/",
        views.template_edit,
        name="template",
    ),
]
