from django.db import migrations


def seed(apps, schema_editor):
    from justice_fees.seed import tariffs_seed

    tariffs_seed(apps.get_model("justice_fees", "Tariff"))


class Migration(migrations.Migration):
    dependencies = [("justice_fees", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
