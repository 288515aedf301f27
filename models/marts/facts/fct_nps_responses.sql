{#- One row per answer to the Net Promoter Score survey, its contact resolved to the person and its account, and its
    NPS category: promoter (9-10), passive (7-8), detractor (0-6). -#}
with

responses as (

    select * from {{ ref('stg_crm__nps_responses') }}

),

identity as (

    select
        contact_id,
        surviving_contact_id,
        company_id
    from {{ ref('contact_identity_map') }}

),

final as (

    select
        -- ids
        responses.response_id,
        identity.surviving_contact_id as contact_id,
        responses.contact_id as source_contact_id,
        identity.company_id,
        -- strings
        {{ nps_category('responses.nps_score') }} as nps_category,
        -- numerics
        responses.nps_score,
        -- dates
        cast(responses.responded_at as date) as response_date,
        responses.responded_at
    from responses
    left join identity
        on responses.contact_id = identity.contact_id

)

select * from final
