from django.db import migrations


def seed(apps, schema_editor):
    from rejections.seed import motives_seed

    motives_seed(apps.get_model("rejections", "Motive"))


class Migration(migrations.Migration):
    dependencies = [("rejections", "0003_motive_explanations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
