# Counted staff login attempts (hashed keys) for the login limits.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='LoginAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True)),
                ('account_key', models.CharField(max_length=64)),
                ('address_key', models.CharField(max_length=64)),
                ('pair_key', models.CharField(max_length=64)),
                ('succeeded', models.BooleanField(default=False)),
            ],
            options={
                'verbose_name': '登录尝试',
                'verbose_name_plural': '登录尝试',
                'indexes': [
                    models.Index(fields=['account_key', 'at'], name='login_attempt_account_idx'),
                    models.Index(fields=['address_key', 'at'], name='login_attempt_address_idx'),
                    models.Index(fields=['pair_key', 'at'], name='login_attempt_pair_idx'),
                ],
            },
        ),
    ]
