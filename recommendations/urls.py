from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("", views.TonightView.as_view(), name="tonight"),
    path("another/", views.another_slate, name="another"),
    path("picks/<int:log_id>/select/", views.select_pick, name="select"),
]
