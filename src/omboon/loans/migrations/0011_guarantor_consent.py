"""A guarantor's consent as a recorded fact (pending, given or declined; when; who recorded it)
instead of a flag nothing set. Every guarantor already on the books stood for a loan that was
entered with its signed forms: they keep their consent (given, no date or recorder known)."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def consent_from_flag(apps, schema_editor):
    Guarantor = apps.get_model("loans", "Guarantor")
    Guarantor.objects.filter(consented=True).update(consent="given")
    Guarantor.objects.filter(consented=False).update(consent="pending")


def flag_from_consent(apps, schema_editor):
    Guarantor = apps.get_model("loans", "Guarantor")
    Guarantor.objects.update(consented=False)
    Guarantor.objects.filter(consent="given").update(consented=True)


class Migration(migrations.Migration):

    dependencies = [
        ("loans", "0010_securities"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="guarantor",
            name="consent",
            field=models.CharField(choices=[("pending", "รอการยินยอม"), ("given", "ยินยอมแล้ว"),
                                            ("declined", "ไม่ยินยอม")], default="pending", max_length=8),
        ),
        migrations.AddField(
            model_name="guarantor",
            name="consent_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="guarantor",
            name="consent_by",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(consent_from_flag, flag_from_consent),
        migrations.RemoveField(model_name="guarantor", name="consented"),
    ]
