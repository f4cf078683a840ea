from django.urls import path

from . import staff_views

app_name = "online"
urlpatterns = [
    path("online/", staff_views.online_list, name="list"),
    path("online/<int:pk>/", staff_views.online_detail, name="detail"),
    path("online/<int:pk>/proof/", staff_views.online_proof, name="proof"),
]
