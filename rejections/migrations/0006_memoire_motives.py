from django.db import migrations, models


def seed(apps, schema_editor):
    from rejections.seed import motives_seed

    motives_seed(apps.get_model("rejections", "Motive"))


class Migration(migrations.Migration):
    """The outcomes of a court's moves on a mémoire de frais de justice, and their motives."""

    dependencies = [("rejections", "0005_weekly_summary")]

    operations = [
        migrations.AlterField(
            model_name="motive",
            name="outcomes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Parmi : suspend, send_back, reject, refuse_integration, memoire_suspend, memoire_reject.",
                verbose_name="issues possibles",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
