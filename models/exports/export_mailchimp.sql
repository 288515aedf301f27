{{ config(materialized='view') }}

{#- Mailchimp contact import: the emailable members of each segment as `Email Address`, `First Name`, `Last Name`
    and `Tags` (the segment name, which Mailchimp applies as a tag), written as one comma-separated file per
    segment. A view over `export_segment_members`: the post-hook's files read the table through it, and no second
    copy of its rows is stored. -#}
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
        segment_name as tags
    from members

)

select * from final
