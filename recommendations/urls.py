# Placeholder route until the recommendation engine's pages land.
from django.http import HttpResponse
from django.urls import path

app_name = "recommendations"


def placeholder(request, **kwargs):
    return HttpResponse("Recommendations are not built yet.")


urlpatterns = [
    path("", placeholder, name="tonight"),
]
