from django.db import migrations


def seed(apps, schema_editor):
    from energy_refunds.seed import campaigns_seed, rates_seed
    from rejections.seed import motives_seed

    rates_seed(apps.get_model("energy_refunds", "Rate"))
    campaigns_seed(
        apps.get_model("energy_refunds", "Campaign"),
        apps.get_model("energy_refunds", "ProductDeadline"),
    )
    # The refund motives added to the catalogue (rejections.seed).
    motives_seed(apps.get_model("rejections", "Motive"))


class Migration(migrations.Migration):
    dependencies = [
        ("energy_refunds", "0001_initial"),
        ("rejections", "0007_alter_motive_outcomes"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
