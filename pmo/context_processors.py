from django.conf import settings


def navigation(request):
    from pmo.navigation import menu_for

    return {"menu": menu_for(request), "default_currency": settings.DEFAULT_CURRENCY}
