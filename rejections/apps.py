from django.apps import AppConfig


class RejectionsConfig(AppConfig):
    name = "rejections"
