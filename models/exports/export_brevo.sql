{{ config(materialized='view') }}

{#- Brevo contact import: the emailable members of each segment with Brevo's default attributes EMAIL, FIRSTNAME,
    LASTNAME and the identifier EXT_ID (our contact_id), written as one `;`-separated file per segment, to import
    into the segment's list. A view over `export_segment_members`: the post-hook's files read the table through it,
    and no second copy of its rows is stored. -#}
with

members as (

    select * from {{ ref('export_segment_members') }}

),

final as (

    select
        segment_name,
        email,
        first_name,
        last_name,
        contact_id as ext_id
    from members

)

select * from final
