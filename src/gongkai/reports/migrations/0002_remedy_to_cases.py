"""Remedies now belong to the cases app (cases 0008 took over the table); the reports app
forgets the model without touching the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("cases", "0008_remedy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Remedy")],
        ),
    ]
