from django.urls import path

from feedback import export_views

app_name = "exports"

urlpatterns = [
    path("<str:data_format>/", export_views.download, name="download"),
]
