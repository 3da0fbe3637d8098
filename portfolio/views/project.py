from django.http import HttpResponse


def project_detail(request, code):  # replaced by the project page
    return HttpResponse(status=501)


def project_create(request):
    return HttpResponse(status=501)


def project_edit(request, code):
    return HttpResponse(status=501)


def project_close(request, code):
    return HttpResponse(status=501)
