"""Staff token authentication: ``POST /api/v1/auth/token/`` → ``{"token": "..."}``."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .fields import Text
from .schema import ERROR_RESPONSES
from .throttling import AuthThrottle


class TokenRequestSerializer(serializers.Serializer):
    username = Text(max_length=150)
    # Not normalised: a password reaches the hasher exactly as typed.
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema(
        tags=["auth"],
        summary="Obtain a staff API token",
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, **ERROR_RESPONSES(400, 429)},
        examples=[
            OpenApiExample(
                "Credentials", value={"username": "tiepnhan", "password": "..."}, request_only=True
            )
        ],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError({"password": ["Tên đăng nhập hoặc mật khẩu không đúng."]})
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
