from django.db import migrations


def seed(apps, schema_editor):
    from rejections.seed import motives_seed

    motives_seed(apps.get_model("rejections", "Motive"))


class Migration(migrations.Migration):
    dependencies = [("rejections", "0001_motive_catalogue")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
