{#- Every contact id of the export (quarantined rows excepted) and the record it was merged into: join any
    source system's contact id to `dim_contacts` through `surviving_contact_id`. -#}
select
    contact_id,
    surviving_contact_id,
    company_id,
    email,
    is_survivor,
    duplicate_group_size
from {{ ref('int_contacts_deduplicated') }}
