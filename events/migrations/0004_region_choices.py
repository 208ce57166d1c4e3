# The column narrows only after every value is a code (see 0003_region_codes).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_region_codes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='organization',
            name='region',
            field=models.CharField(blank=True, choices=[('ES-AN', 'Andalucía'), ('ES-AR', 'Aragón'), ('ES-AS', 'Principado de Asturias'), ('ES-IB', 'Illes Balears'), ('ES-CN', 'Canarias'), ('ES-CB', 'Cantabria'), ('ES-CL', 'Castilla y León'), ('ES-CM', 'Castilla-La Mancha'), ('ES-CT', 'Cataluña'), ('ES-EX', 'Extremadura'), ('ES-GA', 'Galicia'), ('ES-RI', 'La Rioja'), ('ES-MD', 'Comunidad de Madrid'), ('ES-MC', 'Región de Murcia'), ('ES-NC', 'Comunidad Foral de Navarra'), ('ES-PV', 'País Vasco'), ('ES-VC', 'Comunitat Valenciana'), ('ES-CE', 'Ceuta'), ('ES-ML', 'Melilla'), ('other', 'Other country')], max_length=5, verbose_name='region'),
        ),
    ]
