"""A product version's term limits (the least and most instalments an application may ask
for; existing versions get their terms' term as both, so they lend as before) and the term an
application asked for (None on the loans before: the product's term)."""

from django.db import migrations, models


def limits_from_terms(apps, schema_editor):
    Version = apps.get_model("loans", "LoanProductVersion")
    for v in Version.objects.all():
        v.term_min = v.term_max = int(v.terms["term"])
        v.save(update_fields=["term_min", "term_max"])


class Migration(migrations.Migration):

    dependencies = [
        ("loans", "0007_reschedule"),
    ]

    operations = [
        migrations.AddField(model_name="loanproductversion", name="term_min",
                            field=models.PositiveSmallIntegerField(null=True)),
        migrations.AddField(model_name="loanproductversion", name="term_max",
                            field=models.PositiveSmallIntegerField(null=True)),
        migrations.RunPython(limits_from_terms, migrations.RunPython.noop),
        migrations.AlterField(model_name="loanproductversion", name="term_min",
                              field=models.PositiveSmallIntegerField()),
        migrations.AlterField(model_name="loanproductversion", name="term_max",
                              field=models.PositiveSmallIntegerField()),
        migrations.AddConstraint(
            model_name="loanproductversion",
            constraint=models.CheckConstraint(condition=models.Q(term_min__gte=1, term_min__lte=models.F("term_max")),
                                              name="loans_version_term_limits")),
        migrations.AddField(model_name="loan", name="term", field=models.PositiveSmallIntegerField(null=True)),
    ]
