"""Fee notices now belong to the cases app (cases 0007 took over the table); the letters app
forgets the model without touching the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_encrypt_names"),
        ("cases", "0007_feenotice"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="FeeNotice")],
        ),
    ]
