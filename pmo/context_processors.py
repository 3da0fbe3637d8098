def navigation(request):
    from pmo.navigation import menu_for

    return {"menu": menu_for(request)}
