from django.core.management import call_command
from django.core.management.base import BaseCommand

from pulih.accounts.services import DEMO_PASSWORD, demo_personas_create
from pulih.dedup.demo import dedup_demo_create
from pulih.market.demo import market_demo_create
from pulih.matching.demo import matching_demo_create
from pulih.programs.demo import programs_demo_create
from pulih.registry.demo import registry_demo_create


class Command(BaseCommand):
    help = (
        "Load the demo scenario: organisations, personas (password demo-pulih) and the "
        "Bangka Belitung registry, deduplicated by the province, and its aid programmes."
    )

    def handle(self, *args, **options):
        call_command("wilayah_load", verbosity=0)
        personas, created = demo_personas_create()
        registry = registry_demo_create()
        run, ran = dedup_demo_create()
        aid = programs_demo_create()
        pivot = matching_demo_create()
        market = market_demo_create()
        if options["verbosity"]:
            self.stdout.write(
                f"Demo: {len(created)} persona(s) created, {len(personas) - len(created)} "
                "already there."
            )
            self.stdout.write(f"Personas (password: {DEMO_PASSWORD}):")
            for username, user in personas.items():
                self.stdout.write(f"  {username:<20} {user.get_role_display()}")
            self.stdout.write(
                f"Registry: {registry['businesses']} UMKM in {registry['batches']} batches, "
                f"{registry['invalid_niks']} invalid NIKs, {registry['cooperatives']} cooperatives"
                + ("" if registry["created"] else " (already there)")
            )
            self.stdout.write(
                f"Deduplication: {run.records} people, {run.linked} pairs linked into "
                f"{run.entities} entities, {run.to_review} pairs to review"
                + ("" if ran else " (already run)")
            )
            self.stdout.write(
                f"Aid programmes: Kemensos list of {aid['kemensos_rows']} rows, "
                f"{aid['kemensos_overlap']} in the registry ({aid['kemensos_by_linkage']} by "
                f"record linkage); BPUM: {aid['candidates']} candidates, {aid['ineligible']} "
                f"blocked by rules and {aid['duplicates_refused']} as duplicates "
                f"(Rp {aid['rupiah_blocked']:,}), {aid['paid']} paid (Rp {aid['rupiah_paid']:,}), "
                f"{aid['failed']} failed at the bank; Kartu Prakerja: {aid['referred']} referred, "
                f"{aid['registered']} registered, {aid['passed']} passed"
                + (f" ({aid['topped_up']} of them already served)" if aid["topped_up"] else "")
                + ("" if aid["created"] else " (already there)")
            )
            made = pivot["production"]
            self.stdout.write(
                f"Production pivot: {made['declarations']} declarations from "
                f"{made['provinces']} provinces, {made['curated']} curated by Karya Nusantara; "
                f"its order of {pivot['karya_quantity']:,} masks: {pivot['karya_ordered']:,} "
                f"ordered, {pivot['karya_accepted']:,} accepted; Kimia Farma asks "
                f"{pivot['kimia_farma_quantity']:,} against {pivot['kimia_farma_capacity']:,} "
                f"of capacity ({pivot['kimia_farma_shortfall']:,} short)"
                + ("" if pivot["created"] else " (already there)")
            )
            self.stdout.write(
                f"Order wave of 7–8 April 2020: {market['orders']} orders of Koperasi Tani "
                f"Mulus rice, {market['tonnes']:g} t, distributed on 10 April at "
                f"{market['drop_offs']} drop-off points ({market['collected']} collected, "
                f"{market['ojek']} by ojek online, {market['not_collected']} not collected); "
                f"{market['paid']} paid, {market['unpaid']} unpaid; "
                f"{market['gallery_products']} other UMKM products in the gallery"
                + ("" if market["created"] else " (already there)")
            )
