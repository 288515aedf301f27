{#- A table, not a view: tests and several models read it, and at a million contacts recomputing it for each of them
    (keyword matching, window over every contact) cost minutes. -#}
{{ config(materialized='table') }}

{#- Every staged contact with the record it is merged into. Duplicates are contacts with the same normalised
    email (spaces removed, lower-cased) within the consumer base, or within the same account. The surviving
    record is the most recently updated (then most recently created, then smallest id). -#}
with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

ranked as (

    select
        contact_id,
        company_id,
        email,
        case
            when email is null then contact_id
            else first_value(contact_id) over (
                    partition by coalesce(company_id, '~b2c'), email
                    order by coalesce(updated_at, created_at) desc, created_at desc, contact_id asc
                    rows between unbounded preceding and unbounded following
                )
        end as surviving_contact_id,
        case
            when email is null then 1
            else count(*) over (partition by coalesce(company_id, '~b2c'), email)
        end as duplicate_group_size
    from contacts

),

final as (

    select
        contact_id,
        surviving_contact_id,
        company_id,
        email,
        contact_id = surviving_contact_id as is_survivor,
        duplicate_group_size
    from ranked

)

select * from final
