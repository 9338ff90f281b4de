from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="is_remote_node",
            field=models.BooleanField(default=False),
        ),
    ]
