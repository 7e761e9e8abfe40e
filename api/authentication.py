"""The API's token authentication (``DEFAULT_AUTHENTICATION_CLASSES``). Imports nothing of DRF's
views: DRF reads the setting while it defines ``APIView``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class StaffTokenAuthentication(TokenAuthentication):
    """DRF's token authentication that reads the user's staff profile (their agency) in the same
    query as the token and the user: every permission check asks for it, and it was a query of
    its own on every staff request."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user", "user__staff").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
