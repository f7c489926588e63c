from django.conf import settings


class FrenchFirstMiddleware:
    """The interface is French unless the user picked another language with the header's
    button (the language cookie): a browser's Accept-Language alone does not switch it.

    Placed just before django.middleware.locale.LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
