from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_delivered_on_case_query_code_hash_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="due_provisional",
            field=models.BooleanField(default=False, verbose_name="答复期限暂定"),
        ),
    ]
