from django.http import HttpResponse


def status_update(request, code):  # replaced by the weekly status form
    return HttpResponse(status=501)
